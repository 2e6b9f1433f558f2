package dev.ctrnet.api.firewall;

import dev.ctrnet.api.net.PortMapping;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A port mapping of a container, resolved to the container's address on a network.
 *
 * @param network the network (a {@link FirewallZone#network()} of the plan)
 * @param container the container's name, for comments in the rules
 * @param containerIp the container's address on that network
 * @param mapping the host and container ports
 */
public record PublishedPort(String network, String container, InetAddress containerIp, PortMapping mapping) {
    public PublishedPort {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(containerIp, "containerIp");
        Objects.requireNonNull(mapping, "mapping");
    }
}
