package dev.ctrnet.api.kernel;

import dev.ctrnet.api.ProvidedByRuntime;
/**
 * Kernel parameters under {@code /proc/sys}, read and written in a given network namespace (the
 * {@code net.*} tree is per namespace). Keys use dots, {@code net.ipv4.ip_forward}, or slashes as sysctl(8)
 * allows, {@code net/ipv4/conf/eth0.100/forwarding}, where a part holds a dot (an interface name may).
 */
@ProvidedByRuntime
public interface Sysctl {
    /** The parameter's current value, trimmed. */
    String read(NetworkNamespace namespace, String key);

    /** Sets the parameter. */
    void write(NetworkNamespace namespace, String key, String value);
}
