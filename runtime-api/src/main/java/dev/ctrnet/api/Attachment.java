package dev.ctrnet.api;

import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.MacAddress;
import java.net.InetAddress;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a driver made when attaching a container; the runtime stores it and hands it back on detach.
 *
 * @param interfaceName the interface inside the sandbox, if the driver made one
 * @param address the interface's address
 * @param gateway the gateway the container uses on this network
 * @param mac the interface's MAC
 * @param defaultRoute whether this attachment installed the sandbox's default route
 * @param driverData anything else the driver needs to detach (e.g. the host-side link's name)
 */
public record Attachment(Optional<String> interfaceName, Optional<Cidr> address, Optional<InetAddress> gateway,
        Optional<MacAddress> mac, boolean defaultRoute, Map<String, String> driverData) {
    public Attachment {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(mac, "mac");
        driverData = Map.copyOf(driverData);
    }

    /** An attachment that made nothing (for drivers without interfaces). */
    public static Attachment none() {
        return new Attachment(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, Map.of());
    }
}
