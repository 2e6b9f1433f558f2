package dev.ctrnet.api.kernel;

import dev.ctrnet.api.ProvidedByRuntime;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * What a driver may read about the host while it checks a network request
 * ({@link dev.ctrnet.api.NetworkDriver#validate(dev.ctrnet.api.Network, HostFacts)}): its links, its routes and
 * its sysctls, in the host's network namespace. Reading only; each fact is looked up when asked,
 * with a request or two, never by listing a table.
 *
 * @since 2.6
 */
@ProvidedByRuntime
public interface HostFacts {
    /** The host's link with that name, if any. */
    Optional<Link> link(String name);

    /** The route the host uses for packets to {@code destination} (see {@link Netlink#findRoute}). */
    Optional<Route> route(InetAddress destination);

    /** The host's IPv4 default route, if it has one (see {@link Netlink#findDefaultRoute}). */
    Optional<Route> defaultRoute();

    /**
     * The link the host's IPv4 default route leaves by: where its traffic to the world goes, whose MTU suits
     * containers whose traffic goes there too. None without a default route, or with one that names no link.
     */
    default Optional<Link> uplink() {
        return defaultRoute().flatMap(Route::device).flatMap(this::link);
    }

    /**
     * A kernel parameter of the host's namespace, trimmed (see {@link Sysctl#read(NetworkNamespace, SysctlKey)}).
     *
     * @throws KernelException ENOENT when there is no such parameter
     */
    String sysctl(SysctlKey key);

    /** The facts of the host as {@code kernel} reads them. */
    static HostFacts of(Kernel kernel) {
        return new KernelFacts(Objects.requireNonNull(kernel, "kernel"));
    }
}
