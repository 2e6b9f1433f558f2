package dev.ctrnet.api.kernel;

import java.net.InetAddress;
import java.util.Optional;

/** {@link HostFacts} read through a {@link Kernel}'s host netlink and sysctls, looked up fact by fact. */
record KernelFacts(Kernel kernel) implements HostFacts {
    @Override
    public Optional<Link> link(String name) {
        return kernel.hostNetlink().findLink(name);
    }

    @Override
    public Optional<Route> route(InetAddress destination) {
        return kernel.hostNetlink().findRoute(destination);
    }

    @Override
    public Optional<Route> defaultRoute() {
        return kernel.hostNetlink().findDefaultRoute();
    }

    @Override
    public String sysctl(SysctlKey key) {
        return kernel.sysctl().read(NetworkNamespace.host(), key);
    }
}
