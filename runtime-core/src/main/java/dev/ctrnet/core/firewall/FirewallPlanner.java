package dev.ctrnet.core.firewall;

import dev.ctrnet.api.Network;
import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.firewall.FirewallZone;
import dev.ctrnet.api.firewall.HostInterfaces;
import dev.ctrnet.api.firewall.PublishedPort;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.api.net.PortMapping;
import dev.ctrnet.core.container.ContainerRecord;
import dev.ctrnet.core.container.NetworkAttachment;
import dev.ctrnet.core.plugin.DriverCatalog;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Computes the firewall's desired state from the stored networks and containers. */
public final class FirewallPlanner {
    private static final InetAddress ANY_IPV6 = IpAddresses.parse("::");

    private FirewallPlanner() {}

    /**
     * The plan for these networks and containers: a zone per routed network, their published ports.
     *
     * @param name the rule set's name, one per state root
     * @param forwardingGuard whether forwarding was off before ctrnet turned it on (see
     *     {@link FirewallPlan#forwardingGuard()})
     */
    public static FirewallPlan plan(String name, List<Network> networks, List<ContainerRecord> containers,
            DriverCatalog catalog, boolean forwardingGuard) {
        Map<String, FirewallZone> zones = networks.stream()
                .flatMap(n -> zone(n, catalog).stream())
                .collect(Collectors.toMap(FirewallZone::network, Function.identity()));
        List<PublishedPort> ports = new ArrayList<>();
        for (ContainerRecord c : containers) {
            ports.addAll(portsOf(c, zones.keySet()));
            for (NetworkAttachment a : c.networks()) {
                a.attachment().hostInterface().ifPresent(iface -> zones.computeIfPresent(a.network(),
                        (network, zone) -> zone.withInterface(iface)));
            }
        }
        return new FirewallPlan(name, List.copyOf(zones.values()), ports, forwardingGuard);
    }

    /**
     * {@code plan} with the ports {@code container} publishes, and the host interfaces its attachments made,
     * added; its cost does not depend on the plan's size beyond a copy.
     */
    public static FirewallPlan withContainer(FirewallPlan plan, ContainerRecord container) {
        Set<String> zones = plan.zones().stream().map(FirewallZone::network).collect(Collectors.toSet());
        List<PublishedPort> ports = new ArrayList<>(plan.ports());
        ports.addAll(portsOf(container, zones));
        return new FirewallPlan(plan.name(), zonesWith(plan, container, HostInterfaces::with), ports,
                plan.forwardingGuard(), plan.forwardingGuard6());
    }

    /** {@code plan} without the ports of {@code container}, and without the host interfaces its attachments made. */
    public static FirewallPlan withoutContainer(FirewallPlan plan, ContainerRecord container) {
        // its ports found by a search (see FirewallPlan#withoutPortsOf): a removal does not look at every port
        FirewallPlan without = plan.withoutPortsOf(container.name());
        List<FirewallZone> zones = zonesWith(plan, container, HostInterfaces::without);
        return zones == plan.zones() ? without : new FirewallPlan(plan.name(), zones, without.ports(),
                plan.forwardingGuard(), plan.forwardingGuard6());
    }

    /** The zones of {@code plan}, each changed by {@code change} with the host interface {@code container} has on it. */
    private static List<FirewallZone> zonesWith(FirewallPlan plan, ContainerRecord container,
            BiFunction<HostInterfaces, String, HostInterfaces> change) {
        if (container.networks().stream().allMatch(a -> a.attachment().hostInterface().isEmpty())) {
            return plan.zones();
        }
        return plan.zones().stream().map(zone -> withHostInterfaces(zone, container, change)).toList();
    }

    /** {@code zone} changed by {@code change} with the host interface that {@code container}'s attachment to it made. */
    private static FirewallZone withHostInterfaces(FirewallZone zone, ContainerRecord container,
            BiFunction<HostInterfaces, String, HostInterfaces> change) {
        return container.attachment(zone.network()).flatMap(a -> a.attachment().hostInterface())
                .map(name -> zone.withInterfaces(change.apply(zone.interfaces(), name))).orElse(zone);
    }

    /**
     * A container's ports are published on its first network, when that network is routed: a port on an IPv4
     * address leads to the container's IPv4 address, one on an IPv6 address to its IPv6 one, and one on every
     * address ({@code 0.0.0.0}, as {@code -p 8080:80} gives) to both, as Docker publishes it on {@code ::} too.
     */
    private static List<PublishedPort> portsOf(ContainerRecord c, Set<String> zones) {
        if (c.ports().isEmpty() || c.networks().isEmpty()) {
            return List.of();
        }
        NetworkAttachment first = c.networks().get(0);
        if (!zones.contains(first.network()) || first.attachment().address().isEmpty()) {
            return List.of();
        }
        InetAddress ip = first.attachment().address().get().address();
        Optional<InetAddress> ip6 = first.attachment().address6().map(Cidr::address);
        List<PublishedPort> out = new ArrayList<>();
        for (PortMapping m : c.ports()) {
            if (m.hostIp() instanceof Inet4Address) {
                out.add(new PublishedPort(first.network(), c.name(), ip, m));
            }
            if (ip6.isPresent() && (m.hostIp().isAnyLocalAddress() || m.hostIp() instanceof Inet6Address)) {
                PortMapping on6 = m.hostIp() instanceof Inet6Address ? m
                        : new PortMapping(ANY_IPV6, m.hostPorts(), m.containerPorts(), m.protocol());
                out.add(new PublishedPort(first.network(), c.name(), ip6.get(), on6));
            }
        }
        return out;
    }

    private static Optional<FirewallZone> zone(Network network, DriverCatalog catalog) {
        return catalog.driver(network.driver()).flatMap(d -> d.firewallZone(network));
    }
}
