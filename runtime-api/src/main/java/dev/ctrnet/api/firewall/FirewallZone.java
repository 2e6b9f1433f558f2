package dev.ctrnet.api.firewall;

import dev.ctrnet.api.Names;
import dev.ctrnet.api.kernel.LinkRequest;
import dev.ctrnet.api.net.Cidr;
import java.net.InetAddress;
import java.util.Objects;

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
 */
public record FirewallZone(String network, String bridge, Cidr subnet, InetAddress gateway, boolean masquerade,
        boolean internal) {
    public FirewallZone {
        Names.requireName(network, "network");
        LinkRequest.requireName(bridge);
        Objects.requireNonNull(subnet, "subnet");
        Objects.requireNonNull(gateway, "gateway");
        subnet = subnet.network();
    }
}
