package dev.ctrnet.api.firewall;

import java.util.Comparator;
import java.util.List;

/**
 * The desired state of the firewall: every routed network and every published port, computed by the
 * runtime from its records. Lists are sorted so that equal states are equal plans.
 *
 * @param name the rule set's name, unique per state root ({@code ctrnet} for the default one): a
 *     backend names its table or chains after it, so two roots never touch each other's rules
 * @param zones the networks, by name
 * @param ports the published ports, by network, container and host port
 */
public record FirewallPlan(String name, List<FirewallZone> zones, List<PublishedPort> ports) {
    public FirewallPlan {
        if (name == null || !name.matches("[a-z][a-z0-9-]{0,15}")) {
            throw new IllegalArgumentException("'" + name + "' is not a rule set name: 1 to 16 of a-z, 0-9 and '-'");
        }
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

    /** The plan with nothing in it, for rule set {@code name}. */
    public static FirewallPlan empty(String name) {
        return new FirewallPlan(name, List.of(), List.of());
    }

    /** Whether the two plans are of the same rule set and have the same networks, so only ports differ. */
    public boolean sameZones(FirewallPlan other) {
        return name.equals(other.name) && zones.equals(other.zones);
    }
}
