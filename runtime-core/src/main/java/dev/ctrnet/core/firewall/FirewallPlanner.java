package dev.ctrnet.core.firewall;

import dev.ctrnet.api.Network;
import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.firewall.FirewallZone;
import dev.ctrnet.api.firewall.PublishedPort;
import dev.ctrnet.api.net.PortMapping;
import dev.ctrnet.core.container.ContainerRecord;
import dev.ctrnet.core.container.NetworkAttachment;
import dev.ctrnet.core.plugin.DriverCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Computes the firewall's desired state from the stored networks and containers. */
public final class FirewallPlanner {
    private FirewallPlanner() {}

    /**
     * The plan for these networks and containers: a zone per routed network, their published ports.
     *
     * @param name the rule set's name, one per state root
     */
    public static FirewallPlan plan(String name, List<Network> networks, List<ContainerRecord> containers,
            DriverCatalog catalog) {
        Map<String, FirewallZone> zones = networks.stream()
                .flatMap(n -> zone(n, catalog).stream())
                .collect(Collectors.toMap(FirewallZone::network, Function.identity()));
        List<PublishedPort> ports = new ArrayList<>();
        for (ContainerRecord c : containers) {
            if (c.ports().isEmpty() || c.networks().isEmpty()) {
                continue;
            }
            NetworkAttachment first = c.networks().get(0);
            if (zones.containsKey(first.network()) && first.attachment().address().isPresent()) {
                for (PortMapping m : c.ports()) {
                    ports.add(new PublishedPort(first.network(), c.name(), first.attachment().address().get().address(), m));
                }
            }
        }
        return new FirewallPlan(name, List.copyOf(zones.values()), ports);
    }

    private static Optional<FirewallZone> zone(Network network, DriverCatalog catalog) {
        return catalog.driver(network.driver()).flatMap(d -> d.firewallZone(network));
    }
}
