package dev.ctrnet.core.dryrun;

import dev.ctrnet.api.kernel.InterfaceAddress;
import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.api.kernel.Link;
import dev.ctrnet.api.kernel.Netlink;
import dev.ctrnet.api.kernel.NetworkNamespace;
import dev.ctrnet.api.kernel.Route;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.MacAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A network namespace as a dry run would leave it: its links, IPv4 addresses and routes, read from the kernel
 * once (or, for a namespace the run makes, a loopback that is down) and changed by each planned step, so that
 * what a driver reads after a step is what the kernel would then hold.
 */
final class PlannedNamespace {
    /** The loopback of a new namespace: index 1, down. */
    private static final Link NEW_LOOPBACK = new Link(1, "lo", Optional.empty(), 65536, Optional.empty(),
            Optional.empty(), false);

    private final NetworkNamespace namespace;
    private final boolean made;
    private final List<Link> links;
    private final List<InterfaceAddress> addresses;
    private final List<Route> routes;
    /** The other end of each veth the run creates here, by this end's name. */
    private final Map<String, Peer> peers = new HashMap<>();

    /** The other end of a veth pair. */
    record Peer(NetworkNamespace namespace, String name) {}

    private PlannedNamespace(NetworkNamespace namespace, boolean made, List<Link> links,
            List<InterfaceAddress> addresses, List<Route> routes) {
        this.namespace = namespace;
        this.made = made;
        this.links = new ArrayList<>(links);
        this.addresses = new ArrayList<>(addresses);
        this.routes = new ArrayList<>(routes);
    }

    /** A namespace that exists, as the kernel holds it now. */
    static PlannedNamespace existing(Netlink kernel) {
        return new PlannedNamespace(kernel.namespace(), false, kernel.listLinks(), kernel.listAddresses(),
                kernel.listRoutes());
    }

    /** A namespace the run makes: a loopback, down, and nothing else. */
    static PlannedNamespace made(NetworkNamespace namespace) {
        return new PlannedNamespace(namespace, true, List.of(NEW_LOOPBACK), List.of(), List.of());
    }

    NetworkNamespace namespace() {
        return namespace;
    }

    /** Whether the run makes this namespace (so the kernel cannot be asked about it). */
    boolean made() {
        return made;
    }

    List<Link> links() {
        return List.copyOf(links);
    }

    Optional<Link> find(String name) {
        return links.stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /** The link named {@code name}; as the kernel would, ENODEV when there is none. */
    Link get(String name) {
        return find(name).orElseThrow(() -> new KernelException(KernelException.ENODEV,
                "no link named " + name + " in " + Netlink.describe(namespace)));
    }

    /** Refuses a name that is taken, as the kernel would (EEXIST). */
    void requireFree(String name) {
        if (find(name).isPresent()) {
            throw new KernelException(KernelException.EEXIST, "a link named " + name + " already exists in "
                    + Netlink.describe(namespace));
        }
    }

    /** Adds a new link with the next free index, and returns it. */
    Link add(String name, Optional<String> kind, int mtu, Optional<MacAddress> mac,
            Optional<Integer> master, boolean up) {
        requireFree(name);
        int index = links.stream().mapToInt(Link::index).max().orElse(0) + 1;
        Link link = new Link(index, name, kind, mtu, mac, master, up);
        links.add(link);
        return link;
    }

    /** Replaces the link named {@code name} with what {@code change} makes of it. */
    void change(String name, UnaryOperator<Link> change) {
        Link old = get(name);
        links.set(links.indexOf(old), change.apply(old));
    }

    /** Removes a link, its addresses and the routes through it; returns the other end it had, if a veth the run made. */
    Optional<Peer> remove(String name) {
        Link link = get(name);
        links.remove(link);
        addresses.removeIf(a -> a.linkIndex() == link.index());
        routes.removeIf(r -> r.device().equals(Optional.of(name)));
        return Optional.ofNullable(peers.remove(name));
    }

    /** Records that {@code name} is one end of a veth whose other end is {@code peer}. */
    void pair(String name, Peer peer) {
        peers.put(name, peer);
    }

    /** The ends here of veths whose other end is in {@code other}: the kernel destroys them with it. */
    List<String> pairedWith(NetworkNamespace other) {
        return peers.entrySet().stream().filter(e -> e.getValue().namespace().path().equals(other.path()))
                .map(Map.Entry::getKey).toList();
    }

    List<InterfaceAddress> addresses() {
        return List.copyOf(addresses);
    }

    /** Adds an address to a link; as the kernel would, EEXIST when the link has it already. */
    void addAddress(String link, Cidr address) {
        InterfaceAddress added = new InterfaceAddress(get(link).index(), address);
        if (addresses.contains(added)) {
            throw new KernelException(KernelException.EEXIST, "address " + address + " already exists on link " + link
                    + " in " + Netlink.describe(namespace));
        }
        addresses.add(added);
    }

    /** Removes an address from a link; as the kernel would, EADDRNOTAVAIL when the link has no such address. */
    void removeAddress(String link, Cidr address) {
        if (!addresses.remove(new InterfaceAddress(get(link).index(), address))) {
            throw new KernelException(KernelException.EADDRNOTAVAIL, "link " + link + " in "
                    + Netlink.describe(namespace) + " has no address " + address);
        }
    }

    List<Route> routes() {
        return List.copyOf(routes);
    }

    /**
     * Adds a route; as the kernel would, ENODEV for a device that is not there and EEXIST for a route of the same
     * table, destination and metric.
     */
    void addRoute(Route route) {
        route.device().ifPresent(this::get);
        if (routes.stream().anyMatch(r -> sameKey(r, route))) {
            throw new KernelException(KernelException.EEXIST, "the route to " + route.destination()
                    + " already exists in " + Netlink.describe(namespace));
        }
        routes.add(route);
    }

    /** Adds a route in place of the one of the same table, destination and metric, if any. */
    void replaceRoute(Route route) {
        route.device().ifPresent(this::get);
        routes.removeIf(r -> sameKey(r, route));
        routes.add(route);
    }

    /**
     * Removes the route to the same destination in the same table (and through the same gateway and device, and of
     * the same metric, where given); ESRCH when none.
     */
    void removeRoute(Route route) {
        Optional<Route> match = routes.stream().filter(r -> r.destination().equals(route.destination())
                && r.table() == route.table() && (route.metric() == 0 || r.metric() == route.metric())
                && (route.gateway().isEmpty() || r.gateway().equals(route.gateway()))
                && (route.device().isEmpty() || r.device().equals(route.device()))).findFirst();
        if (match.isEmpty()) {
            throw new KernelException(KernelException.ESRCH, "there is no route to " + route.destination() + " in "
                    + Netlink.describe(namespace));
        }
        routes.remove(match.get());
    }

    /** Whether the kernel would file the two routes under one key: table, destination and metric. */
    private static boolean sameKey(Route a, Route b) {
        return a.table() == b.table() && a.destination().equals(b.destination()) && a.metric() == b.metric();
    }
}
