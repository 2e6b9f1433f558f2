package dev.ctrnet.api.firewall;

import java.util.Comparator;
import java.util.List;

/**
 * The desired state of the firewall: every routed network and every published port, computed by the
 * runtime from its records. Lists are sorted so that equal states are equal plans.
 *
 * @param zones the networks, by name
 * @param ports the published ports, by network, container and host port
 */
public record FirewallPlan(List<FirewallZone> zones, List<PublishedPort> ports) {
    public FirewallPlan {
        zones = zones.stream().sorted(Comparator.comparing(FirewallZone::network)).toList();
        ports = ports.stream()
                .sorted(Comparator.comparing(PublishedPort::network)
                        .thenComparing(PublishedPort::container)
                        .thenComparing(p -> p.mapping().protocol())
                        .thenComparingInt(p -> p.mapping().hostPorts().first()))
                .toList();
        for (PublishedPort port : ports) {
            if (zones.stream().noneMatch(z -> z.network().equals(port.network()))) {
                throw new IllegalArgumentException("port " + port.mapping().describe() + " of " + port.container()
                        + " is on network " + port.network() + ", which is not in the plan");
            }
        }
    }

    /** The plan with nothing in it: the backend's rules removed. */
    public static FirewallPlan empty() {
        return new FirewallPlan(List.of(), List.of());
    }

    /** Whether the two plans have the same networks, so only ports differ. */
    public boolean sameZones(FirewallPlan other) {
        return zones.equals(other.zones);
    }
}
