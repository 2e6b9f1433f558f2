package dev.ctrnet.api.firewall;

import dev.ctrnet.api.Names;
import dev.ctrnet.api.net.PortMapping;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A port mapping of a container, resolved to the container's address on a network. Its names are
 * checked against {@link Names#requireName} here, so a backend may print them in rules and comments.
 *
 * @param network the network (a {@link FirewallZone#network()} of the plan)
 * @param container the container's name, for comments in the rules
 * @param containerIp the container's address on that network, of the host address's family: a port published
 *     on every address of a dual-stack container ({@code 0.0.0.0}) is two ports, one to each of its addresses,
 *     the IPv6 one with host address {@code ::}
 * @param mapping the host and container ports
 */
public record PublishedPort(String network, String container, InetAddress containerIp, PortMapping mapping) {
    public PublishedPort {
        Names.requireName(network, "network");
        Names.requireName(container, "container");
        Objects.requireNonNull(containerIp, "containerIp");
        Objects.requireNonNull(mapping, "mapping");
        if (containerIp.getClass() != mapping.hostIp().getClass()) {
            throw new IllegalArgumentException("port " + mapping.describe() + " of " + container + " leads to "
                    + containerIp.getHostAddress() + ", an address of the other IP family");
        }
    }
}
