package dev.ctrnet.api.testing;

import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.firewall.FirewallZone;
import dev.ctrnet.api.firewall.HostInterfaces;
import dev.ctrnet.api.firewall.PublishedPort;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.api.net.PortMapping;
import java.util.List;
import java.util.Optional;

/**
 * The fixed plans of the golden tests: every kind of zone and port once, with the forwarding guard on, and
 * the same plan after a port delta. A backend renders them into the golden files it checks in (see
 * {@link GoldenFile}).
 */
public final class GoldenPlan {
    /** The default state root's rule set, which the golden files are rendered for. */
    public static final String NAME = "ctrnet";
    /** Another state root's rule set. */
    public static final String OTHER_NAME = "ctrnet-abc123";
    /** The longest name a rule set can have. */
    public static final String LONGEST_NAME = "ctrnet-abcdefghi";

    private GoldenPlan() {}

    /** The golden plan in rule set {@link #NAME}. */
    public static FirewallPlan plan() {
        return plan(NAME);
    }

    /** The same zones and ports in rule set {@code name}. */
    public static FirewallPlan plan(String name) {
        FirewallZone web = new FirewallZone("web", "ctb0", Cidr.parse("10.77.0.0/24"), IpAddresses.parse("10.77.0.1"),
                true, false);
        FirewallZone vault = new FirewallZone("vault", "ctb1", Cidr.parse("10.78.0.0/24"),
                IpAddresses.parse("10.78.0.1"), true, true);
        return new FirewallPlan(name, List.of(web, vault), List.of(
                port("web", "front", "10.77.0.2", "8080:80"),
                port("web", "front", "10.77.0.2", "5353:53/udp"),
                port("web", "api", "10.77.0.3", "198.51.100.1:8081:81"),
                port("web", "api", "10.77.0.3", "20000-29999:20000-29999"),
                port("web", "api", "10.77.0.3", "8090-8092:90-92"),
                port("vault", "db", "10.78.0.2", "127.0.0.1:5432:5432")), true);
    }

    /**
     * {@link #plan()} after one port delta: a range is gone, another moves to a new container and
     * narrows, the rest stay.
     */
    public static FirewallPlan withPortsChanged() {
        FirewallPlan current = plan();
        return new FirewallPlan(current.name(), current.zones(), List.of(
                port("web", "front", "10.77.0.2", "8080:80"),
                port("web", "front", "10.77.0.2", "5353:53/udp"),
                port("web", "api", "10.77.0.3", "198.51.100.1:8081:81"),
                port("web", "other", "10.77.0.4", "8090-8091:90-91"),
                port("vault", "db", "10.78.0.2", "127.0.0.1:5432:5432")), current.forwardingGuard());
    }

    /**
     * A dual-stack plan: a masqueraded network with an IPv6 subnet, whose ports are published on every address of
     * both families, on one IPv6 address and as a range, beside an internal IPv4-only one; both forwarding guards on.
     */
    public static FirewallPlan dualStack() {
        FirewallZone web = new FirewallZone("web", "ctb0", Cidr.parse("10.77.0.0/24"), IpAddresses.parse("10.77.0.1"),
                true, false, Optional.of(Cidr.parse("fd00:77::/64")), Optional.of(IpAddresses.parse("fd00:77::1")));
        FirewallZone vault = new FirewallZone("vault", "ctb1", Cidr.parse("10.78.0.0/24"),
                IpAddresses.parse("10.78.0.1"), true, true);
        return new FirewallPlan(NAME, List.of(web, vault), List.of(
                port("web", "front", "10.77.0.2", "8080:80"),
                port("web", "front", "fd00:77::2", "[::]:8080:80"),
                port("web", "api", "fd00:77::3", "[2001:db8::1]:8081:81"),
                port("web", "api", "fd00:77::3", "[::]:20000-29999:20000-29999"),
                port("vault", "db", "10.78.0.2", "127.0.0.1:5432:5432")), true, true);
    }

    /**
     * Routed networks beside a bridge one: {@code edge} and the internal {@code cells} have a host link per
     * container, named by a prefix of each network's (as {@code examples/driver-ptp} names them), {@code web} is
     * behind bridge {@code ctb0}; ports of {@code edge} on every address and on {@code 127.0.0.1}; the forwarding
     * guard on.
     */
    public static FirewallPlan routed() {
        FirewallZone web = new FirewallZone("web", "ctb0", Cidr.parse("10.77.0.0/24"), IpAddresses.parse("10.77.0.1"),
                true, false);
        return new FirewallPlan(NAME, List.of(web, routedZone("edge", "pt1a2b3c", "10.79.0", false),
                routedZone("cells", "pt9f8e7d", "10.80.0", true)), List.of(
                port("web", "front", "10.77.0.2", "8080:80"),
                port("edge", "gate", "10.79.0.2", "8082:80"),
                port("edge", "gate", "10.79.0.2", "127.0.0.1:8083:80")), true);
    }

    /**
     * {@link #routed()} with {@code edge}'s host links named one by one, as attachments declare them, and a routed
     * network whose containers have declared none yet.
     */
    public static FirewallPlan routedByName() {
        FirewallPlan routed = routed();
        List<FirewallZone> zones = routed.zones().stream()
                .map(z -> z.network().equals("edge") ? z.withInterfaces(HostInterfaces.named(List.of("vethb2", "vetha1")))
                        : z)
                .collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new));
        zones.add(new FirewallZone("lonely", HostInterfaces.named(List.of()), Cidr.parse("10.81.0.0/24"),
                IpAddresses.parse("10.81.0.1"), true, false, Optional.empty(), Optional.empty()));
        return new FirewallPlan(NAME, zones, routed.ports(), true);
    }

    private static FirewallZone routedZone(String network, String prefix, String net, boolean internal) {
        return new FirewallZone(network, HostInterfaces.prefixed(prefix), Cidr.parse(net + ".0/24"),
                IpAddresses.parse(net + ".1"), true, internal, Optional.empty(), Optional.empty());
    }

    /** Port {@code spec} (as {@code -p} takes it) published by {@code container} at {@code ip} on {@code network}. */
    public static PublishedPort port(String network, String container, String ip, String spec) {
        return new PublishedPort(network, container, IpAddresses.parse(ip), PortMapping.parse(spec));
    }
}
