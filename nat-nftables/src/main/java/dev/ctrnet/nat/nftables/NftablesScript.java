package dev.ctrnet.nat.nftables;

import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.firewall.FirewallZone;
import dev.ctrnet.api.firewall.PublishedPort;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Renders a {@link FirewallPlan} as {@code nft -f} input for the table of its rule set,
 * {@code inet <name>} ({@code inet ctrnet} for the default state root). Every script is one transaction:
 * the kernel sees the old rules or the new ones.
 */
final class NftablesScript {
    private NftablesScript() {}

    /**
     * The table of rule set {@code name}; a script names this table and nothing else. nft takes table names
     * unquoted only, so it refuses a rule set named like one of its keywords ({@code ip}, {@code dnat});
     * the runtime's names, {@code ctrnet} and {@code ctrnet-<6 hex>}, never are.
     */
    static String table(String name) {
        return "inet " + name;
    }

    /**
     * The whole table for {@code plan}. The leading {@code add}/{@code delete} pair removes the old table
     * whether or not it exists, inside the same transaction that creates the new one.
     */
    static String fullApply(FirewallPlan plan) {
        Map<DnatMap, List<DnatElement>> elements = elementsByMap(plan.ports());
        List<DnatMap> maps = maps(plan);
        List<String> sections = new ArrayList<>();
        sections.add(bridgeSet(plan.zones()));
        for (DnatMap map : maps) {
            sections.add(dnatMap(map, elements.getOrDefault(map, List.of())));
        }
        sections.add(publishedChain(maps));
        sections.add(loopbackGuardChain());
        sections.add(dnatHookChain("prerouting", "prerouting", "dstnat"));
        // `dstnat` is not accepted as a priority name for the output hook of an inet table.
        sections.add(dnatHookChain("output", "output", "-100"));
        sections.add(postroutingChain(plan.zones()));
        sections.add(forwardChain(plan));
        sections.add(inputChain(plan.zones()));
        return removal(plan) + "table " + table(plan.name()) + " {\n" + String.join("\n", sections) + "}\n";
    }

    /**
     * Moves the published ports from {@code current} to {@code next} by deleting and adding map elements
     * only; empty when nothing changes. Deletions come first so a key that moves to another container is
     * free again when it is added. Both plans are of one rule set: the update only takes this path when
     * {@link FirewallPlan#sameZones} holds.
     */
    static String portDelta(FirewallPlan current, FirewallPlan next) {
        // only the ports that changed become elements; one that moved to another owner unchanged cancels out
        Set<DnatElement> gone = elements(current.portsMissingFrom(next));
        Set<DnatElement> come = elements(next.portsMissingFrom(current));
        List<DnatElement> removed = gone.stream().filter(e -> !come.contains(e)).toList();
        List<DnatElement> added = come.stream().filter(e -> !gone.contains(e)).toList();
        String table = table(next.name());
        return elementCommands("delete", table, removed, DnatElement::key)
                + elementCommands("add", table, added, DnatElement::render);
    }

    /** Removes the table of {@code plan}'s rule set if it exists, and nothing else. */
    static String removal(FirewallPlan plan) {
        String table = table(plan.name());
        return "add table " + table + "\ndelete table " + table + "\n";
    }

    /**
     * Every zone's interfaces, for the rules that concern all of them; a set with a name prefix ({@code "pt1a*"})
     * needs the interval flag. Called {@code bridges} since zones were bridges only, so a bridge network's table
     * reads as it did.
     */
    private static String bridgeSet(List<FirewallZone> zones) {
        List<String> patterns = zones.stream().flatMap(z -> patterns(z).stream()).distinct().toList();
        boolean prefixes = zones.stream().anyMatch(z -> z.interfaces().prefix().isPresent());
        return "\tset bridges {\n\t\ttype ifname\n" + (prefixes ? "\t\tflags interval\n" : "")
                + elementsBlock(patterns) + "\t}\n";
    }

    /** A zone's interfaces as nft writes them: quoted, a prefix with its wildcard, in the order nft lists a set's. */
    private static List<String> patterns(FirewallZone zone) {
        return zone.interfaces().patterns("*").stream().sorted().map(NftablesScript::quoted).toList();
    }

    /**
     * What a rule compares an interface name with to match {@code zone}'s interfaces: one quoted name or prefix,
     * or an anonymous set of them; none while the zone has no interface, when rules that need one are left out.
     */
    private static Optional<String> interfaces(FirewallZone zone) {
        List<String> patterns = patterns(zone);
        if (patterns.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(patterns.size() == 1 ? patterns.get(0) : "{ " + String.join(", ", patterns) + " }");
    }

    /** {@code " oifname != ZONE"}, or nothing for a zone without interfaces. */
    private static String notOut(FirewallZone zone) {
        return interfaces(zone).map(ifaces -> " oifname != " + ifaces).orElse("");
    }

    private static String dnatMap(DnatMap map, List<DnatElement> elements) {
        return "\tmap " + map.mapName() + " {\n"
                + "\t\ttype " + map.type() + "\n"
                + (map.interval() ? "\t\tflags interval\n" : "")
                + elementsBlock(elements.stream().map(DnatElement::render).toList())
                + "\t}\n";
    }

    private static String elementsBlock(List<String> elements) {
        if (elements.isEmpty()) {
            return "";
        }
        return "\t\telements = {\n\t\t\t" + String.join(",\n\t\t\t", elements) + "\n\t\t}\n";
    }

    /**
     * The maps of {@code plan}: the IPv6 ones only when a network is dual-stack, so that an IPv4 host's table
     * holds nothing it never uses. A port on an IPv6 address is only ever planned on a dual-stack network.
     */
    static List<DnatMap> maps(FirewallPlan plan) {
        boolean ipv6 = plan.zones().stream().anyMatch(z -> z.subnet6().isPresent());
        return Stream.of(DnatMap.values()).filter(m -> ipv6 || !m.ipv6()).toList();
    }

    /** Tries the exact maps before the range maps; the runtime never publishes overlapping ports. */
    private static String publishedChain(List<DnatMap> maps) {
        return chain("published", maps.stream().map(DnatMap::dnatRule).toList());
    }

    /**
     * Drops a packet for 127.0.0.0/8 that did not come from {@code lo}, before conntrack (-200), DNAT and
     * routing see it: {@code route_localnet} on the zones' interfaces, which lets the host's own 127.0.0.1 traffic
     * be translated out to a container, can then never let a neighbour or a container reach a port meant
     * for the host alone. It must run before conntrack: a container's reply to a host process that
     * connected to 127.0.0.1 carries the gateway's address and becomes 127.0.0.1 only after it.
     */
    private static String loopbackGuardChain() {
        return chain("loopback-guard", List.of("type filter hook prerouting priority raw; policy accept;",
                "iifname != \"lo\" ip daddr 127.0.0.0/8 drop"));
    }

    private static String dnatHookChain(String name, String hook, String priority) {
        return chain(name, List.of("type nat hook " + hook + " priority " + priority + "; policy accept;",
                dispatch()));
    }

    private static String postroutingChain(List<FirewallZone> zones) {
        List<String> lines = new ArrayList<>(List.of("type nat hook postrouting priority srcnat; policy accept;"));
        zones.forEach(zone -> lines.addAll(masqueradeRules(zone)));
        return chain("postrouting", lines);
    }

    /**
     * Outbound masquerade, then hairpin (a container reaching a published port of its own network must
     * see the reply come back through the host), then the host's 127.0.0.1 (which cannot leave as is).
     */
    private static List<String> masqueradeRules(FirewallZone zone) {
        String subnet = "ip saddr " + zone.subnet();
        Optional<String> ifaces = interfaces(zone);
        List<String> rules = new ArrayList<>();
        outboundMasquerade(zone).ifPresent(rules::add);
        ifaces.ifPresent(b -> {
            rules.add("ct status dnat " + subnet + " oifname " + b + " masquerade");
            rules.add("ip saddr 127.0.0.0/8 oifname " + b + " masquerade");
        });
        outboundMasquerade6(zone).ifPresent(rules::add);
        ifaces.ifPresent(b -> zone.subnet6().ifPresent(subnet6 -> rules.add("ct status dnat ip6 saddr " + subnet6
                + " oifname " + b + " masquerade")));
        return rules;
    }

    /** The zone's outbound masquerade rules, of each family it has. */
    static List<String> outboundMasquerades(FirewallZone zone) {
        return Stream.of(outboundMasquerade(zone), outboundMasquerade6(zone)).flatMap(Optional::stream).toList();
    }

    /** {@link #outboundMasquerade} for the zone's IPv6 subnet, when it is dual-stack. */
    static Optional<String> outboundMasquerade6(FirewallZone zone) {
        if (!zone.masquerade() || zone.internal()) {
            return Optional.empty();
        }
        return zone.subnet6().map(subnet6 -> "ip6 saddr " + subnet6 + notOut(zone) + " masquerade");
    }

    /**
     * The rule of chain {@code postrouting} that masquerades what leaves {@code zone} for the world, as nft
     * lists it; none when the zone may not reach the world or keeps its addresses. What leaves by one of the
     * zone's own interfaces stays in the subnet and keeps its source: on a routed network, traffic between two
     * containers passes the host from one host link to another.
     */
    static Optional<String> outboundMasquerade(FirewallZone zone) {
        if (!zone.masquerade() || zone.internal()) {
            return Optional.empty();
        }
        return Optional.of("ip saddr " + zone.subnet() + notOut(zone) + " masquerade");
    }

    /** The rule of the DNAT hook chains that sends packets for the host's own addresses to chain {@code published}. */
    static String dispatch() {
        return "fib daddr type local jump published";
    }

    /** Every rule only drops: what this chain lets pass, other tables may still refuse. */
    private static String forwardChain(FirewallPlan plan) {
        List<String> lines = new ArrayList<>(List.of("type filter hook forward priority filter; policy accept;"));
        plan.zones().forEach(zone -> lines.addAll(zone.internal() ? internalRules(zone) : isolationRules(zone)));
        // each family's guard on its own: the host may route one family between its other interfaces and not the other
        if (plan.forwardingGuard() || plan.forwardingGuard6()) {
            String family = plan.forwardingGuard6() == plan.forwardingGuard() ? ""
                    : plan.forwardingGuard() ? "meta nfproto ipv4 " : "meta nfproto ipv6 ";
            lines.add(family + "iifname != @bridges oifname != @bridges drop");
        }
        return chain("forward", lines);
    }

    /**
     * Drops traffic from this zone's interfaces to any other zone's (the other zone's rule covers the way back),
     * and what enters the zone from anywhere else unless it is a reply or was sent there by a published
     * port's DNAT: a neighbour routing the subnet via the host reaches no port directly.
     */
    private static List<String> isolationRules(FirewallZone zone) {
        return interfaces(zone).map(ifaces -> List.of("iifname " + ifaces + " oifname @bridges oifname != " + ifaces
                        + " drop",
                "oifname " + ifaces + " iifname != " + ifaces
                        + " ct state & (established | related) == 0 ct status & dnat == 0 drop")).orElse(List.of());
    }

    /**
     * DNS to a zone's gateway, where its name server listens, only from its own interfaces or the host itself:
     * the host would otherwise deliver a query from another network's container, or from a neighbour that
     * routes the subnet via the host, since the gateway is one of its addresses.
     */
    private static String inputChain(List<FirewallZone> zones) {
        List<String> lines = new ArrayList<>(List.of("type filter hook input priority filter; policy accept;"));
        // two conditions, not a set of names: nft would list a set's names sorted, which depends on the names
        zones.forEach(zone -> lines.add(interfaces(zone).map(ifaces -> "iifname != " + ifaces + " ").orElse("")
                + "iifname != \"lo\" ip daddr " + zone.gateway().getHostAddress()
                + " meta l4proto { tcp, udp } th dport 53 drop"));
        return chain("input", lines);
    }

    /** An internal zone forwards only among its own interfaces, in both directions. */
    private static List<String> internalRules(FirewallZone zone) {
        return interfaces(zone).map(ifaces -> List.of("iifname " + ifaces + " oifname != " + ifaces + " drop",
                "oifname " + ifaces + " iifname != " + ifaces + " drop")).orElse(List.of());
    }

    /** A chain: for a base chain, the first line is its hook declaration. */
    private static String chain(String name, List<String> lines) {
        StringBuilder out = new StringBuilder("\tchain " + name + " {\n");
        lines.forEach(line -> out.append("\t\t").append(line).append('\n'));
        return out.append("\t}\n").toString();
    }

    private static String elementCommands(String verb, String table, List<DnatElement> elements,
            Function<DnatElement, String> text) {
        Map<DnatMap, List<String>> byMap = elements.stream().collect(Collectors.groupingBy(DnatElement::map,
                TreeMap::new, Collectors.mapping(text, Collectors.toList())));
        return byMap.entrySet().stream()
                .map(e -> verb + " element " + table + " " + e.getKey().mapName() + " { "
                        + String.join(", ", e.getValue()) + " }\n")
                .collect(Collectors.joining());
    }

    private static Map<DnatMap, List<DnatElement>> elementsByMap(Collection<PublishedPort> ports) {
        return elements(ports).stream().collect(Collectors.groupingBy(DnatElement::map));
    }

    private static Set<DnatElement> elements(Collection<PublishedPort> ports) {
        return ports.stream().flatMap(p -> DnatElement.of(p).stream())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static String quoted(String name) {
        return "\"" + name + "\"";
    }
}
