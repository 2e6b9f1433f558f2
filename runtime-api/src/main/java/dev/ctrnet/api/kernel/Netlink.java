package dev.ctrnet.api.kernel;

import dev.ctrnet.api.ProvidedByRuntime;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.api.net.MacAddress;
import java.net.InetAddress;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Links, addresses and routes of one network namespace, over rtnetlink. Each method is one kernel
 * operation, named after it. Failures throw {@link KernelException} with a sentence that names the
 * object (for example "a link named br0 already exists", "no link named eth9").
 *
 * <p>Instances are bound to their namespace for their whole life and can be used from any thread.
 *
 * <p>The look-ups ({@link #findLink}, {@link #listAddresses(String)}, {@link #findRoute},
 * {@link #findDefaultRoute}) are a kernel request or two each (a second one names a link by its index, or finds
 * it by its name), whose cost does not grow with the links, addresses or routes the namespace holds: a driver's
 * attach should use them, never the listings, which read every entry.
 */
@ProvidedByRuntime
public interface Netlink {
    /** The namespace this instance operates in. */
    NetworkNamespace namespace();

    /** Every link, in index order. */
    List<Link> listLinks();

    /** The link with that name, if any: one {@code RTM_GETLINK} by name. */
    Optional<Link> findLink(String name);

    /** The link with that name; throws {@link KernelException} (ENODEV) when there is none. */
    default Link getLink(String name) {
        return findLink(name).orElseThrow(() -> new KernelException(KernelException.ENODEV,
                "no link named " + name + " in " + describe(namespace())));
    }

    /** Creates a link ({@code RTM_NEWLINK} with {@code NLM_F_CREATE|NLM_F_EXCL}). */
    void createLink(LinkRequest request);

    /** Deletes a link (and, for a veth, its peer). */
    void deleteLink(String name);

    /** Brings a link up or down. */
    void setUp(String name, boolean up);

    /** Enslaves a link to a bridge. */
    void setMaster(String name, String master);

    /** Sets a link's MTU. */
    void setMtu(String name, int mtu);

    /** Sets a link's hardware address. */
    void setMac(String name, MacAddress mac);

    /** Renames a (down) link. */
    void rename(String name, String newName);

    /** Moves a link into another namespace. */
    void moveToNamespace(String name, NetworkNamespace target);

    /**
     * Isolates a bridge port: isolated ports of a bridge cannot reach one another, only the bridge's
     * other ports ({@code IFLA_BRPORT_ISOLATED}).
     */
    void setBridgePortIsolated(String name, boolean isolated);

    /**
     * Sets a bridge port's hairpin mode: the bridge may send a frame back out of the port it came in
     * by ({@code IFLA_BRPORT_MODE}), which a container reaching its own published port needs when
     * bridged traffic passes the host's firewall ({@code br_netfilter}).
     */
    void setBridgePortHairpin(String name, boolean hairpin);

    /**
     * Whether the kernel gives a link an IPv6 link-local address of its own when it comes up ({@code ip link
     * set NAME addrgenmode eui64|none}). Without one the link sends no IPv6 neighbour discovery, router
     * solicitation or multicast listener report, each of which a bridge floods to every port: on a network
     * without IPv6, a new port then costs the other ports nothing. Set it before the link has a carrier.
     */
    void setIpv6LinkLocal(String name, boolean generate);

    /**
     * Adds an address to a link. An IPv6 address is usable at once, without duplicate address detection
     * ({@code nodad}, as Docker adds them): the runtime's addresses are leased, never duplicated, and a container's
     * first packets must not wait a second for the check.
     */
    void addAddress(String link, Cidr address);

    /** Removes an address from a link. */
    void deleteAddress(String link, Cidr address);

    /** Every IPv4 address of the namespace. */
    List<InterfaceAddress> listAddresses();

    /**
     * The IPv4 addresses of one link ({@code ip -4 addr show dev LINK}), none when there is no such link. The
     * kernel reads that link's addresses only.
     *
     * @since 2.6
     */
    default List<InterfaceAddress> listAddresses(String link) {
        return findLink(link).map(l -> listAddresses().stream().filter(a -> a.linkIndex() == l.index()).toList())
                .orElse(List.of());
    }

    /** Adds a route to its table ({@code ip route add}: refused with EEXIST when one of its key is there). */
    void addRoute(Route route);

    /**
     * Adds a route, or replaces the one of the same key: table, destination and metric ({@code ip route
     * replace}, {@code RTM_NEWROUTE} with {@code NLM_F_CREATE|NLM_F_REPLACE}). One request; makes an attach
     * idempotent without looking first.
     *
     * @since 2.6
     */
    default void replaceRoute(Route route) {
        throw new UnsupportedOperationException("this Netlink cannot replace routes");
    }

    /** Deletes a route from its table (of any metric when the route's is 0). */
    void deleteRoute(Route route);

    /** Every IPv4 unicast route of the main table. */
    List<Route> listRoutes();

    /**
     * Every unicast route, IPv4 and IPv6, of one table ({@code ip route show table T} and {@code ip -6 …}). The
     * kernel reads that table only. An implementation that can only list the main table returns its IPv4 routes
     * for {@link Route#MAIN_TABLE} and nothing for the others.
     *
     * @since 2.6
     */
    default List<Route> listRoutes(int table) {
        return listRoutes().stream().filter(r -> r.table() == table).toList();
    }

    /**
     * The route the kernel uses for packets to {@code destination} from this namespace, as it holds it in its
     * tables ({@code ip route get fibmatch DESTINATION}): the longest-prefix match, in whichever table the
     * namespace's rules lead to. None when no unicast route matches (none at all, or a blackhole, unreachable or
     * prohibit route). One look-up, and one more for the name of its link.
     *
     * @since 2.6
     */
    default Optional<Route> findRoute(InetAddress destination) {
        return listRoutes().stream()
                .filter(r -> r.destination().contains(destination))
                .max(Comparator.comparingInt((Route r) -> r.destination().prefixLength())
                        .thenComparing(Comparator.comparingInt(Route::metric).reversed()));
    }

    /**
     * The IPv4 default route the kernel uses ({@code ip route get fibmatch 0.0.0.1}: no route but a default one
     * leads to an address of {@code 0.0.0.0/8}), none when the namespace has none, whatever else it holds.
     *
     * @since 2.6
     */
    default Optional<Route> findDefaultRoute() {
        return findRoute(IpAddresses.parse("0.0.0.1")).filter(Route::isDefault);
    }

    /** How a namespace is named in messages. */
    static String describe(NetworkNamespace ns) {
        return ns.isHost() ? "the host namespace" : "namespace " + ns.path();
    }
}
