package dev.ctrnet.api;

import dev.ctrnet.api.kernel.LinkRequest;
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
 * @param hostInterface the host-side interface this attachment made for the container alone, for a driver whose
 *     network's {@link dev.ctrnet.api.firewall.FirewallZone} does not name it already (by a name prefix): the
 *     runtime adds it to the zone while the attachment lasts, so the firewall treats it as the network's
 * @since 2.5 for {@code address6} and {@code gateway6}, 2.6 for {@code hostInterface}
 */
public record Attachment(Optional<String> interfaceName, Optional<Cidr> address, Optional<InetAddress> gateway,
        Optional<MacAddress> mac, boolean defaultRoute, Map<String, String> driverData, Optional<Cidr> address6,
        Optional<InetAddress> gateway6, Optional<String> hostInterface) {
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
        Objects.requireNonNull(hostInterface, "hostInterface").ifPresent(LinkRequest::requireName);
    }

    /** An attachment that adds no host interface to its network's firewall zone, as before 2.6. */
    public Attachment(Optional<String> interfaceName, Optional<Cidr> address, Optional<InetAddress> gateway,
            Optional<MacAddress> mac, boolean defaultRoute, Map<String, String> driverData, Optional<Cidr> address6,
            Optional<InetAddress> gateway6) {
        this(interfaceName, address, gateway, mac, defaultRoute, driverData, address6, gateway6, Optional.empty());
    }

    /**
     * This attachment, declaring the host interface {@code name} it made for the container (see
     * {@link #hostInterface()}).
     *
     * @since 2.6
     */
    public Attachment withHostInterface(String name) {
        return new Attachment(interfaceName, address, gateway, mac, defaultRoute, driverData, address6, gateway6,
                Optional.of(name));
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
