package dev.ctrnet.nat.iptables;

import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.firewall.FirewallZone;
import dev.ctrnet.api.firewall.MissingRule;
import dev.ctrnet.api.firewall.PublishedPort;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What {@code iptables-save} reported, reduced to what one rule set owns: its jumps and its chains. Chains
 * and jumps are recognised by their exact names, so another rule set's are never taken for its own, even
 * when one name starts with the other ({@code CTRNET-DNAT} and {@code CTRNET-1A2B3C-DNAT}).
 *
 * @param chains the rule set's chains
 * @param lines the output, one line per element, as printed
 */
record SavedRules(Chains chains, List<String> lines) {
    /** Parses iptables-save output for the rule set of {@code chains}. */
    static SavedRules parse(String output, Chains chains) {
        return new SavedRules(chains, output.lines().toList());
    }

    /** The jumps that are not in place. */
    Set<Jump> missingJumps() {
        Set<Jump> missing = EnumSet.allOf(Jump.class);
        for (String table : Jump.TABLES) {
            missing.removeAll(jumps(table));
        }
        return missing;
    }

    /** Every copy of every jump of {@code table} that is in place. */
    List<Jump> jumps(String table) {
        List<Jump> found = new ArrayList<>();
        inTable(table).forEach(line -> Stream.of(Jump.values())
                .filter(j -> j.table().equals(table) && j.saved(chains).equals(line))
                .forEach(found::add));
        return found;
    }

    /** The chains of the rule set that exist in {@code table}. */
    List<String> ownChains(String table) {
        List<String> declared = inTable(table).filter(line -> line.startsWith(":"))
                .map(line -> line.substring(1, line.indexOf(' '))).toList();
        return chains.of(table).stream().filter(declared::contains).toList();
    }

    /**
     * The outbound masquerade and published-port rules of {@code plan} that are not in place, each with the
     * first link of its path that is missing: the jump from the built-in chain, the dispatch to the DNAT chain,
     * or the rule itself.
     */
    List<MissingRule> missingFrom(FirewallPlan plan) {
        Set<String> nat = inTable("nat").collect(Collectors.toSet());
        Set<Jump> missingJumps = missingJumps();
        List<MissingRule> missing = new ArrayList<>();
        for (FirewallZone zone : plan.zones()) {
            IptablesScript.outboundMasquerade(zone, chains)
                    .flatMap(rule -> firstMissing(nat, missingJumps, List.of(Jump.POSTROUTING), List.of(rule)))
                    .ifPresent(rule -> missing.add(new MissingRule(zone.network(), Optional.empty(), rule)));
        }
        for (PublishedPort port : plan.ports()) {
            List<String> path = new ArrayList<>(List.of(IptablesScript.dispatch(chains, "PREROUTING")));
            DnatRule.of(plan.name(), port).forEach(rule -> path.add("-A " + chains.dnat() + " " + rule.spec()));
            firstMissing(nat, missingJumps, List.of(Jump.PREROUTING), path)
                    .ifPresent(rule -> missing.add(new MissingRule(port.network(), Optional.of(port), rule)));
        }
        return missing;
    }

    private Optional<String> firstMissing(Set<String> present, Set<Jump> missingJumps, List<Jump> jumps,
            List<String> rules) {
        return jumps.stream().filter(missingJumps::contains).map(j -> j.saved(chains)).findFirst()
                .or(() -> rules.stream().filter(rule -> !present.contains(rule)).findFirst());
    }

    private Stream<String> inTable(String table) {
        List<String> section = new ArrayList<>();
        boolean inside = false;
        for (String line : lines) {
            if (line.startsWith("*")) {
                inside = line.equals("*" + table);
            } else if (inside) {
                section.add(line);
            }
        }
        return section.stream();
    }
}
