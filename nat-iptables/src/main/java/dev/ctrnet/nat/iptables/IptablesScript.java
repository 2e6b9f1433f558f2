package dev.ctrnet.nat.iptables;

import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.firewall.FirewallZone;
import dev.ctrnet.api.firewall.PublishedPort;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Renders a {@link FirewallPlan} as {@code iptables-restore --noflush} input. Each script is one restore
 * call, which the kernel commits per table as a whole. Declaring a chain ({@code :NAME - [0:0]}) creates
 * it or, when it exists, empties it, so a full apply rewrites the chains of the plan's rule set (see
 * {@link Chains}) and nothing else.
 */
final class IptablesScript {
    private IptablesScript() {}

    /** The rule set's chains for {@code plan}, plus the jumps into them that are {@code missing}. */
    static String fullApply(FirewallPlan plan, Set<Jump> missing) {
        requireIpv4(plan);
        Chains chains = Chains.of(plan);
        return natTable(plan, chains, missing) + filterTable(plan.zones(), chains, missing);
    }

    /**
     * Moves the published ports from {@code current} to {@code next} rule by rule; empty when nothing
     * changes. Both plans are of one rule set: the update only takes this path when
     * {@link FirewallPlan#sameZones} holds.
     */
    static String portDelta(FirewallPlan current, FirewallPlan next) {
        requireIpv4(next);
        String dnat = Chains.of(next).dnat();
        // only the ports that changed become rules; one that moved to another owner unchanged cancels out
        Set<DnatRule> gone = dnatRules(current.name(), current.portsMissingFrom(next));
        Set<DnatRule> come = dnatRules(next.name(), next.portsMissingFrom(current));
        List<String> lines = new ArrayList<>();
        gone.stream().filter(r -> !come.contains(r)).forEach(r -> lines.add("-D " + dnat + " " + r.spec()));
        come.stream().filter(r -> !gone.contains(r)).forEach(r -> lines.add("-A " + dnat + " " + r.spec()));
        return lines.isEmpty() ? "" : table("nat", lines);
    }

    /** Removes every jump and chain of the rule set that {@code saved} shows, and nothing else. */
    static String removal(SavedRules saved) {
        return tableRemoval("nat", saved) + tableRemoval("filter", saved);
    }

    private static String natTable(FirewallPlan plan, Chains chains, Set<Jump> missing) {
        List<String> lines = new ArrayList<>();
        chains.nat().forEach(chain -> lines.add(declaration(chain)));
        lines.add("-A " + chains.from("PREROUTING") + " -m addrtype --dst-type LOCAL -j " + chains.dnat());
        lines.add("-A " + chains.from("OUTPUT") + " -m addrtype --dst-type LOCAL -j " + chains.dnat());
        dnatRules(plan).forEach(rule -> lines.add("-A " + chains.dnat() + " " + rule.spec()));
        plan.zones().forEach(zone -> lines.addAll(masqueradeRules(zone, chains)));
        lines.addAll(jumpInserts("nat", chains, missing));
        return table("nat", lines);
    }

    /**
     * Outbound masquerade, then hairpin (a container reaching a published port of its own bridge must
     * see the reply come back through the host), then the host's 127.0.0.1 (which cannot leave as is).
     */
    private static List<String> masqueradeRules(FirewallZone zone, Chains chains) {
        String append = "-A " + chains.from("POSTROUTING");
        String prefix = append + " -s " + zone.subnet();
        List<String> rules = new ArrayList<>();
        if (zone.masquerade() && !zone.internal()) {
            rules.add(prefix + " ! -o " + zone.bridge() + " -j MASQUERADE");
        }
        rules.add(prefix + " -o " + zone.bridge() + " -m conntrack --ctstate DNAT -j MASQUERADE");
        rules.add(append + " -s 127.0.0.0/8 -o " + zone.bridge() + " -j MASQUERADE");
        return rules;
    }

    private static String filterTable(List<FirewallZone> zones, Chains chains, Set<Jump> missing) {
        List<String> lines = new ArrayList<>();
        chains.filter().forEach(chain -> lines.add(declaration(chain)));
        String append = "-A " + chains.from("FORWARD");
        for (FirewallZone zone : zones) {
            lines.addAll(zone.internal() ? internalRules(append, zone) : isolationRules(append, zone, zones));
        }
        lines.addAll(jumpInserts("filter", chains, missing));
        return table("filter", lines);
    }

    /** Drops traffic from this bridge to every other routed zone's; the other zone's rules cover the way back. */
    private static List<String> isolationRules(String append, FirewallZone zone, List<FirewallZone> zones) {
        return zones.stream()
                .filter(other -> !other.internal() && !other.bridge().equals(zone.bridge()))
                .map(other -> append + " -i " + zone.bridge() + " -o " + other.bridge() + " -j DROP")
                .toList();
    }

    /** An internal zone forwards only within its own bridge, in both directions. */
    private static List<String> internalRules(String append, FirewallZone zone) {
        return List.of(append + " -i " + zone.bridge() + " ! -o " + zone.bridge() + " -j DROP",
                append + " ! -i " + zone.bridge() + " -o " + zone.bridge() + " -j DROP");
    }

    private static List<String> jumpInserts(String table, Chains chains, Set<Jump> missing) {
        return missing.stream().filter(j -> j.table().equals(table)).map(j -> j.insert(chains)).toList();
    }

    /** Jumps go first, so that the chains they lead to can be emptied and deleted. */
    private static String tableRemoval(String table, SavedRules saved) {
        List<String> lines = new ArrayList<>();
        saved.jumps(table).forEach(jump -> lines.add(jump.delete(saved.chains())));
        List<String> chains = saved.ownChains(table);
        chains.forEach(chain -> lines.add(declaration(chain)));
        chains.forEach(chain -> lines.add("-X " + chain));
        return lines.isEmpty() ? "" : table(table, lines);
    }

    private static String declaration(String chain) {
        return ":" + chain + " - [0:0]";
    }

    private static String table(String name, List<String> lines) {
        return "*" + name + "\n" + String.join("\n", lines) + "\nCOMMIT\n";
    }

    private static Set<DnatRule> dnatRules(FirewallPlan plan) {
        return dnatRules(plan.name(), plan.ports());
    }

    private static Set<DnatRule> dnatRules(String ruleSet, List<PublishedPort> ports) {
        Set<DnatRule> rules = new LinkedHashSet<>();
        ports.forEach(port -> rules.addAll(DnatRule.of(ruleSet, port)));
        return rules;
    }

    /** The chains are iptables (IPv4) only; an IPv6 network is refused rather than left open. */
    private static void requireIpv4(FirewallPlan plan) {
        for (FirewallZone zone : plan.zones()) {
            if (!zone.subnet().isIpv4()) {
                throw new IllegalArgumentException("network " + zone.network() + " has the IPv6 subnet "
                        + zone.subnet() + ", which the iptables backend does not handle yet");
            }
        }
        for (PublishedPort port : plan.ports()) {
            if (!(port.containerIp() instanceof Inet4Address) || !(port.mapping().hostIp() instanceof Inet4Address)) {
                throw new IllegalArgumentException("port " + port.mapping().describe() + " of " + port.container()
                        + " uses IPv6, which the iptables backend does not handle yet");
            }
        }
    }
}
