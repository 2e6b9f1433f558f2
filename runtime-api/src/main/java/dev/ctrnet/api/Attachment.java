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
 * @param defaultRoute whether this attachment installed the sandbox's default route (of each family it has)
 * @param driverData anything else the driver needs to detach (e.g. the host-side link's name)
 * @param address6 the interface's IPv6 address, on a dual-stack network
 * @param gateway6 the IPv6 gateway the container uses on this network
 * @since 2.5 for {@code address6} and {@code gateway6}
 */
public record Attachment(Optional<String> interfaceName, Optional<Cidr> address, Optional<InetAddress> gateway,
        Optional<MacAddress> mac, boolean defaultRoute, Map<String, String> driverData, Optional<Cidr> address6,
        Optional<InetAddress> gateway6) {
    public Attachment {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(mac, "mac");
        driverData = Map.copyOf(driverData);
        Objects.requireNonNull(address6, "address6");
        Objects.requireNonNull(gateway6, "gateway6");
        address6.ifPresent(a -> requireFamily(a.address(), false, "address6"));
        gateway6.ifPresent(g -> requireFamily(g, false, "gateway6"));
    }

    /** An attachment without IPv6, as before 2.5. */
    public Attachment(Optional<String> interfaceName, Optional<Cidr> address, Optional<InetAddress> gateway,
            Optional<MacAddress> mac, boolean defaultRoute, Map<String, String> driverData) {
        this(interfaceName, address, gateway, mac, defaultRoute, driverData, Optional.empty(), Optional.empty());
    }

    /** An attachment that made nothing (for drivers without interfaces). */
    public static Attachment none() {
        return new Attachment(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, Map.of());
    }

    /** Refuses an address of the other family in a place of one family. */
    static void requireFamily(InetAddress address, boolean ipv4, String what) {
        if ((address instanceof java.net.Inet4Address) != ipv4) {
            throw new IllegalArgumentException(what + " " + address.getHostAddress() + " is not an IPv" + (ipv4 ? 4 : 6)
                    + " address");
        }
    }
}
