package dev.ctrnet.api.firewall;

import dev.ctrnet.api.Names;
import java.util.Objects;
import java.util.Optional;

/**
 * A rule of a {@link FirewallPlan} that the kernel does not hold, as a backend found it by reading its own
 * rule set ({@link dev.ctrnet.api.NatBackend#missingRules}); {@code ctrnet doctor} names it.
 *
 * @param network the network (a {@link FirewallZone#network()} of the plan) the rule serves
 * @param port the published port the rule implements, or empty for a rule of the network itself (its masquerade)
 * @param rule the rule as the backend's tool writes it, for a person to read
 * @since 2.4
 */
public record MissingRule(String network, Optional<PublishedPort> port, String rule) {
    public MissingRule {
        Names.requireName(network, "network");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(rule, "rule");
    }
}
