package dev.ctrnet.nat.iptables;

import dev.ctrnet.api.firewall.FirewallPlan;
import java.util.List;
import java.util.Locale;

/**
 * The chains of one rule set, named after it in upper case followed by their role: {@code CTRNET-DNAT}
 * for rule set {@code ctrnet}, {@code CTRNET-1A2B3C-DNAT} for {@code ctrnet-1a2b3c}. A chain that a
 * built-in chain jumps to is named after it, in its table: {@code CTRNET-PREROUTING} is in nat and raw.
 *
 * <p>The name is used whole, never shortened: rule set names have at most 16 characters, so the longest
 * chain name, 16 + {@code -POSTROUTING}, has 28, exactly the most iptables accepts. Upper-casing
 * {@code [a-z0-9-]} loses nothing and no role contains a '-', so two rule sets never share a chain.
 *
 * @param prefix the rule set's name in upper case
 */
record Chains(String prefix) {
    /** The chains of {@code plan}'s rule set. */
    static Chains of(FirewallPlan plan) {
        return new Chains(plan.name().toUpperCase(Locale.ROOT));
    }

    /** The chain that the jump from built-in chain {@code builtin} leads to, e.g. {@code CTRNET-PREROUTING}. */
    String from(String builtin) {
        return named(builtin);
    }

    /** The chain that holds one DNAT rule per published port. */
    String dnat() {
        return named("DNAT");
    }

    /** The chains of the nat table, in the order they are declared. */
    List<String> nat() {
        return List.of(from("PREROUTING"), from("OUTPUT"), from("POSTROUTING"), dnat());
    }

    /** The chains of the filter table. */
    List<String> filter() {
        return List.of(from("FORWARD"), from("INPUT"));
    }

    /** The chains of the raw table, which sees packets before conntrack and NAT. */
    List<String> raw() {
        return List.of(from("PREROUTING"));
    }

    /** The chains of {@code table}: {@code nat}, {@code filter} or {@code raw}. */
    List<String> of(String table) {
        return switch (table) {
            case "nat" -> nat();
            case "filter" -> filter();
            case "raw" -> raw();
            default -> throw new IllegalArgumentException("no chains of ours in table " + table);
        };
    }

    private String named(String role) {
        return prefix + "-" + role;
    }
}
