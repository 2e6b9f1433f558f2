package dev.ctrnet.nat.nftables;

import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.firewall.FirewallZone;
import dev.ctrnet.api.firewall.MissingRule;
import dev.ctrnet.api.firewall.PublishedPort;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code nft list table} printed for a rule set's table, reduced to the rules of each chain and the
 * elements of each map, each as one line with single spaces, as the scripts write them.
 *
 * @param chains the rules of each chain, by chain name (a base chain's {@code type …} line left out)
 * @param maps the elements of each map, by map name
 */
record ListedTable(Map<String, List<String>> chains, Map<String, Set<String>> maps) {
    ListedTable {
        chains = Map.copyOf(chains);
        maps = Map.copyOf(maps);
    }

    /** Parses the output of {@code nft list table inet NAME}. */
    static ListedTable parse(String output) {
        Map<String, List<String>> chains = new HashMap<>();
        Map<String, Set<String>> maps = new HashMap<>();
        List<String> rules = null;
        StringBuilder mapText = null;
        String mapName = null;
        int depth = 0;
        for (String raw : output.lines().toList()) {
            String line = raw.strip().replaceAll("\\s+", " ");
            if (depth == 1 && line.startsWith("chain ") && line.endsWith("{")) {
                rules = chains.computeIfAbsent(line.substring(6, line.length() - 2), k -> new ArrayList<>());
            } else if (depth == 1 && line.startsWith("map ") && line.endsWith("{")) {
                mapName = line.substring(4, line.length() - 2);
                mapText = new StringBuilder();
            } else if (depth == 2 && rules != null && !line.equals("}") && !line.startsWith("type ")) {
                rules.add(line);
            } else if (depth >= 2 && mapText != null) {
                mapText.append(' ').append(line);
            }
            depth += count(line, '{') - count(line, '}');
            if (depth <= 1) {
                if (mapText != null) {
                    maps.put(mapName, elements(mapText.toString()));
                }
                rules = null;
                mapText = null;
            }
        }
        return new ListedTable(chains, maps);
    }

    /**
     * The outbound masquerade and published-port rules of {@code plan} that are not in place, each with the
     * first link of its path that is missing: the jump from the DNAT hook chain, the lookup in the map, or the
     * map element itself.
     */
    List<MissingRule> missingFrom(FirewallPlan plan) {
        List<MissingRule> missing = new ArrayList<>();
        for (FirewallZone zone : plan.zones()) {
            NftablesScript.outboundMasquerades(zone).stream()
                    .filter(rule -> !chains.getOrDefault("postrouting", List.of()).contains(rule))
                    .forEach(rule -> missing.add(new MissingRule(zone.network(), Optional.empty(),
                            "chain postrouting: " + rule)));
        }
        for (PublishedPort port : plan.ports()) {
            firstMissing(port).ifPresent(rule -> missing.add(new MissingRule(port.network(), Optional.of(port), rule)));
        }
        return missing;
    }

    private Optional<String> firstMissing(PublishedPort port) {
        if (!chains.getOrDefault("prerouting", List.of()).contains(NftablesScript.dispatch())) {
            return Optional.of("chain prerouting: " + NftablesScript.dispatch());
        }
        for (DnatElement element : DnatElement.of(port)) {
            String lookup = element.map().dnatRule();
            if (!chains.getOrDefault("published", List.of()).contains(lookup)) {
                return Optional.of("chain published: " + lookup);
            }
            if (!maps.getOrDefault(element.map().mapName(), Set.of()).contains(element.render())) {
                return Optional.of("map " + element.map().mapName() + ": element " + element.render());
            }
        }
        return Optional.empty();
    }

    /** The elements of a map's block: what {@code elements = { … }} holds, split at its commas. */
    private static Set<String> elements(String block) {
        Set<String> out = new HashSet<>();
        int start = block.indexOf("elements = {");
        if (start < 0) {
            return out;
        }
        int end = block.indexOf('}', start);
        for (String element : block.substring(start + "elements = {".length(), end).split(",")) {
            if (!element.isBlank()) {
                out.add(element.strip());
            }
        }
        return out;
    }

    private static int count(String line, char c) {
        return (int) line.chars().filter(x -> x == c).count();
    }
}
