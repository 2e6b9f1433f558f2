package dev.ctrnet.core.names;

import java.net.InetAddress;
import java.util.Objects;

/**
 * What {@code network inspect} shows of a network's name server.
 *
 * @param address where the network's containers ask it (the gateway)
 * @param running whether its dnsmasq runs; it starts with the network's first container
 */
public record NameServerStatus(InetAddress address, boolean running) {
    public NameServerStatus {
        Objects.requireNonNull(address, "address");
    }
}
