package dev.ctrnet.api.kernel;

import dev.ctrnet.api.net.MacAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A link as the kernel reports it.
 *
 * @param index the interface index
 * @param name the interface name
 * @param kind the {@code IFLA_INFO_KIND} ("bridge", "veth", …), empty for devices without one
 * @param mtu its MTU
 * @param mac its hardware address, when it has one
 * @param masterIndex the index of its bridge, when enslaved
 * @param up whether it is administratively up
 */
public record Link(int index, String name, Optional<String> kind, int mtu, Optional<MacAddress> mac,
        Optional<Integer> masterIndex, boolean up) {
    public Link {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(masterIndex, "masterIndex");
    }
}
