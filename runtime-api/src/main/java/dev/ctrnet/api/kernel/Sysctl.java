package dev.ctrnet.api.kernel;

import dev.ctrnet.api.ProvidedByRuntime;
/**
 * Kernel parameters under {@code /proc/sys}, read and written in a given network namespace (the
 * {@code net.*} tree is per namespace). A key names the parameter's file: as a {@link SysctlKey}, or as a
 * string with dots ({@code net.ipv4.ip_forward}) when none of its parts holds a dot. A parameter of an
 * interface, whose name may hold one, is named with {@link SysctlKey#ofInterface}.
 */
@ProvidedByRuntime
public interface Sysctl {
    /** The parameter's current value, trimmed; {@code key} is dotted, see {@link SysctlKey#parse}. */
    String read(NetworkNamespace namespace, String key);

    /** Sets the parameter; {@code key} is dotted, see {@link SysctlKey#parse}. */
    void write(NetworkNamespace namespace, String key, String value);

    /**
     * The parameter's current value, trimmed.
     *
     * @since 2.2
     */
    String read(NetworkNamespace namespace, SysctlKey key);

    /**
     * Sets the parameter.
     *
     * @since 2.2
     */
    void write(NetworkNamespace namespace, SysctlKey key, String value);
}
