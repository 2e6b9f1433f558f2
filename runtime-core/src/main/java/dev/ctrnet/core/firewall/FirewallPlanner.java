package dev.ctrnet.core.firewall;

import dev.ctrnet.api.Network;
import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.firewall.FirewallZone;
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
        }
        return new FirewallPlan(name, List.copyOf(zones.values()), ports, forwardingGuard);
    }

    /** {@code plan} with the ports {@code container} publishes added; its cost does not depend on the plan's size beyond a copy. */
    public static FirewallPlan withContainer(FirewallPlan plan, ContainerRecord container) {
        Set<String> zones = plan.zones().stream().map(FirewallZone::network).collect(Collectors.toSet());
        List<PublishedPort> ports = new ArrayList<>(plan.ports());
        ports.addAll(portsOf(container, zones));
        return new FirewallPlan(plan.name(), plan.zones(), ports, plan.forwardingGuard(), plan.forwardingGuard6());
    }

    /**
     * {@code plan} without the ports of the container named {@code name}: found by a search, the others copied
     * as they are, so that a removal does not look at every published port (see {@link FirewallPlan#withoutPortsOf}).
     */
    public static FirewallPlan withoutContainer(FirewallPlan plan, String name) {
        return plan.withoutPortsOf(name);
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
