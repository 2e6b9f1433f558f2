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
    /**
     * The parameter's current value, trimmed; {@code key} is dotted, see {@link SysctlKey#parse}.
     *
     * @throws KernelException ENOENT when {@code key} cannot name a parameter
     */
    default String read(NetworkNamespace namespace, String key) {
        return read(namespace, dotted(key));
    }

    /**
     * Sets the parameter; {@code key} is dotted, see {@link SysctlKey#parse}.
     *
     * @throws KernelException ENOENT when {@code key} cannot name a parameter
     */
    default void write(NetworkNamespace namespace, String key, String value) {
        write(namespace, dotted(key), value);
    }

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

    /** A dotted key; one that cannot name a parameter is reported as the kernel would, ENOENT. */
    private static SysctlKey dotted(String key) {
        try {
            return SysctlKey.parse(key);
        } catch (IllegalArgumentException e) {
            throw new KernelException(KernelException.ENOENT, "no sysctl named " + dev.ctrnet.api.UserInput.quote(key), e);
        }
    }
}
