package dev.ctrnet.core;

import dev.ctrnet.api.kernel.Kernel;
import dev.ctrnet.api.kernel.Namespaces;
import dev.ctrnet.api.kernel.Sysctl;
import dev.ctrnet.core.kernel.NativeNamespaces;
import dev.ctrnet.core.kernel.ProcSysctl;

/**
 * The real kernel primitives, as handed (through a recording wrapper) to drivers.
 *
 * @param namespaces network namespaces and their netlink
 * @param sysctl per-namespace sysctls
 */
public record HostKernel(Namespaces namespaces, Sysctl sysctl) implements Kernel {
    /**
     * The primitives over {@code namespaces}, with sysctls written as they are, without the runtime's record of
     * who turned forwarding on: what a driver's tests hand it (see the driver kit's {@code DriverUnderTest}).
     */
    public static HostKernel of(NativeNamespaces namespaces) {
        return new HostKernel(namespaces, new ProcSysctl(namespaces));
    }
}
