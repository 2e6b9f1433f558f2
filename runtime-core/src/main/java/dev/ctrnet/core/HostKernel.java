package dev.ctrnet.core;

import dev.ctrnet.api.kernel.Kernel;
import dev.ctrnet.api.kernel.Namespaces;
import dev.ctrnet.api.kernel.Sysctl;

/**
 * The real kernel primitives, as handed (through a recording wrapper) to drivers.
 *
 * @param namespaces network namespaces and their netlink
 * @param sysctl per-namespace sysctls
 */
record HostKernel(Namespaces namespaces, Sysctl sysctl) implements Kernel {}
