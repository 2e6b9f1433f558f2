package dev.ctrnet.api.kernel;

import dev.ctrnet.api.ProvidedByRuntime;
/**
 * Everything a driver may change in the kernel, handed to it by the runtime for the length of one
 * call. Changes made through it are recorded with their undo.
 */
@ProvidedByRuntime
public interface Kernel {
    /** Network namespaces. */
    Namespaces namespaces();

    /** Sysctls, per namespace. */
    Sysctl sysctl();

    /** The rtnetlink primitives of the host's namespace. */
    default Netlink hostNetlink() {
        return namespaces().netlink(NetworkNamespace.host());
    }
}
