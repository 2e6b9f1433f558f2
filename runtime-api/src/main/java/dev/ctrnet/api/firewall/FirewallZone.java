package dev.ctrnet.api.firewall;

import dev.ctrnet.api.Names;
import dev.ctrnet.api.net.Cidr;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One routed container network as the firewall sees it. Its names are checked against their grammar
 * ({@link Names#requireName}, and {@link HostInterfaces} for the interfaces) here, so no value a backend renders
 * into a rule script can break out of its place there.
 *
 * <p>What a backend makes of a zone, whatever its shape (one bridge, or a host link per container):
 * <ul>
 *   <li>masquerade, when asked, for traffic of the subnet leaving by an interface not of the zone, so that traffic
 *       between two of its containers keeps its source address;</li>
 *   <li>isolation: nothing from the zone's interfaces to another zone's, and nothing into the zone from elsewhere
 *       but replies and published ports; an {@code internal} zone forwards nothing in or out at all;</li>
 *   <li>hairpin: a container reaching a published port that leads back into the zone (its own included) is
 *       masqueraded, so the reply comes back through the host;</li>
 *   <li>ports published on {@code 127.0.0.1}: the host's loopback traffic translated to a container leaves with
 *       the zone's address (the driver turns {@code route_localnet} on for each of its host interfaces);</li>
 *   <li>the zone's name server is the zone's: DNS (port 53, UDP and TCP) addressed to the gateway is dropped
 *       unless it comes in through one of the zone's interfaces or from the host itself ({@code lo}).</li>
 * </ul>
 * A backend that cannot render some shape of {@link HostInterfaces} says so ({@link
 * dev.ctrnet.api.NatBackend#renders}), and the runtime refuses such a network before making it.
 *
 * @param network the network's name
 * @param interfaces the host interfaces its containers are behind: its bridge, or its containers' host links
 * @param subnet the network's subnet
 * @param gateway the host's address on it
 * @param masquerade whether traffic leaving for other interfaces is masqueraded
 * @param internal whether the network may reach nothing but itself and its gateway
 * @param subnet6 the network's IPv6 subnet, when it is dual-stack: masquerade, isolation and {@code internal}
 *     hold for it as for {@code subnet}
 * @param gateway6 the host's IPv6 address on it, present exactly when {@code subnet6} is
 * @since 2.5 for {@code subnet6} and {@code gateway6}, 2.6 for {@code interfaces} (in place of one bridge)
 */
public record FirewallZone(String network, HostInterfaces interfaces, Cidr subnet, InetAddress gateway, boolean masquerade,
        boolean internal, Optional<Cidr> subnet6, Optional<InetAddress> gateway6) {
    public FirewallZone {
        Names.requireName(network, "network");
        Objects.requireNonNull(interfaces, "interfaces");
        Objects.requireNonNull(subnet, "subnet");
        Objects.requireNonNull(gateway, "gateway");
        subnet = subnet.network();
        Objects.requireNonNull(subnet6, "subnet6");
        Objects.requireNonNull(gateway6, "gateway6");
        if (subnet6.isPresent() != gateway6.isPresent() || subnet6.filter(Cidr::isIpv4).isPresent()
                || gateway6.filter(g -> g instanceof Inet4Address).isPresent()) {
            throw new IllegalArgumentException("zone " + network + " needs both an IPv6 subnet and an IPv6 gateway, or neither");
        }
        subnet6 = subnet6.map(Cidr::network);
    }

    /** A zone behind one bridge, as before 2.6. */
    public FirewallZone(String network, String bridge, Cidr subnet, InetAddress gateway, boolean masquerade,
            boolean internal, Optional<Cidr> subnet6, Optional<InetAddress> gateway6) {
        this(network, HostInterfaces.of(bridge), subnet, gateway, masquerade, internal, subnet6, gateway6);
    }

    /** A zone behind one bridge, without IPv6, as before 2.5. */
    public FirewallZone(String network, String bridge, Cidr subnet, InetAddress gateway, boolean masquerade,
            boolean internal) {
        this(network, bridge, subnet, gateway, masquerade, internal, Optional.empty(), Optional.empty());
    }

    /**
     * The one host interface of a zone behind one bridge, for backends built before 2.6, which know no other
     * shape; the runtime hands other shapes only to backends that {@link dev.ctrnet.api.NatBackend#renders
     * render} them.
     *
     * @throws IllegalStateException when the zone's interfaces are not exactly one name
     */
    public String bridge() {
        return interfaces.single().orElseThrow(() -> new IllegalStateException("zone " + network
                + " is not behind one bridge: its interfaces are " + interfaces.describe()));
    }

    /**
     * This zone with the host interface {@code name} added, as an attachment that made it declares
     * ({@link dev.ctrnet.api.Attachment#hostInterface()}).
     *
     * @since 2.6
     */
    public FirewallZone withInterface(String name) {
        return withInterfaces(interfaces.with(name));
    }

    /**
     * This zone behind {@code other} interfaces.
     *
     * @since 2.6
     */
    public FirewallZone withInterfaces(HostInterfaces other) {
        return other.equals(interfaces) ? this
                : new FirewallZone(network, other, subnet, gateway, masquerade, internal, subnet6, gateway6);
    }
}
