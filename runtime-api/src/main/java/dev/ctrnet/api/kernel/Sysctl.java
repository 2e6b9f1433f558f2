package dev.ctrnet.api.kernel;

import dev.ctrnet.api.ProvidedByRuntime;
/**
 * Kernel parameters under {@code /proc/sys}, read and written in a given network namespace (the
 * {@code net.*} tree is per namespace). Keys use dots: {@code net.ipv4.ip_forward}.
 */
@ProvidedByRuntime
public interface Sysctl {
    /** The parameter's current value, trimmed. */
    String read(NetworkNamespace namespace, String key);

    /** Sets the parameter. */
    void write(NetworkNamespace namespace, String key, String value);
}
