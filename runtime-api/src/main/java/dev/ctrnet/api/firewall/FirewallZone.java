package dev.ctrnet.api.firewall;

import dev.ctrnet.api.Names;
import dev.ctrnet.api.kernel.LinkRequest;
import dev.ctrnet.api.net.Cidr;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One routed container network as the firewall sees it. Its names are checked against their grammar
 * ({@link Names#requireName}, {@link LinkRequest#requireName}) here, so no value a backend renders into a
 * rule script can break out of its place there.
 *
 * <p>Besides masquerade and isolation, a backend keeps the zone's name server to the zone: DNS (port 53, UDP
 * and TCP) addressed to the gateway is dropped unless it comes in through the zone's bridge or from the host
 * itself ({@code lo}).
 *
 * @param network the network's name
 * @param bridge the host interface its containers are behind
 * @param subnet the network's subnet
 * @param gateway the host's address on it
 * @param masquerade whether traffic leaving for other interfaces is masqueraded
 * @param internal whether the network may reach nothing but itself and its gateway
 * @param subnet6 the network's IPv6 subnet, when it is dual-stack: masquerade, isolation and {@code internal}
 *     hold for it as for {@code subnet}
 * @param gateway6 the host's IPv6 address on it, present exactly when {@code subnet6} is
 * @since 2.5 for {@code subnet6} and {@code gateway6}
 */
public record FirewallZone(String network, String bridge, Cidr subnet, InetAddress gateway, boolean masquerade,
        boolean internal, Optional<Cidr> subnet6, Optional<InetAddress> gateway6) {
    public FirewallZone {
        Names.requireName(network, "network");
        LinkRequest.requireName(bridge);
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

    /** A zone without IPv6, as before 2.5. */
    public FirewallZone(String network, String bridge, Cidr subnet, InetAddress gateway, boolean masquerade,
            boolean internal) {
        this(network, bridge, subnet, gateway, masquerade, internal, Optional.empty(), Optional.empty());
    }
}
