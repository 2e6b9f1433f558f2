package dev.ctrnet.nat.iptables;

import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.firewall.FirewallZone;
import dev.ctrnet.api.firewall.PublishedPort;
import dev.ctrnet.api.net.Cidr;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Renders a {@link FirewallPlan} as {@code iptables-restore --noflush} input. Each script is one restore
 * call, which the kernel commits per table as a whole. Declaring a chain ({@code :NAME - [0:0]}) creates
 * it or, when it exists, empties it, so a full apply rewrites the chains of the plan's rule set (see
 * {@link Chains}) and nothing else.
 */
final class IptablesScript {
    private IptablesScript() {}

    /** The rule set's IPv4 chains for {@code plan}, plus the jumps into them that are {@code missing}. */
    static String fullApply(FirewallPlan plan, Set<Jump> missing) {
        return fullApply(plan, missing, Family.IPV4);
    }

    /** The rule set's chains of {@code family} for {@code plan}, plus the jumps into them that are {@code missing}. */
    static String fullApply(FirewallPlan plan, Set<Jump> missing, Family family) {
        Chains chains = Chains.of(plan);
        return rawTable(chains, missing, family) + natTable(plan, chains, missing, family)
                + filterTable(plan, chains, missing, family);
    }

    /**
     * Moves the published ports from {@code current} to {@code next} rule by rule; empty when nothing
     * changes. Both plans are of one rule set: the update only takes this path when
     * {@link FirewallPlan#sameZones} holds. It first checks ({@code -C}) that every jump into the rule set's
     * chains, and the nat chains' jumps to the DNAT chain, are in place, so that after a flush
     * ({@code iptables -F}, {@code iptables -t nat -F}) it fails before it changes anything, rather than
     * adds rules that no packet reaches.
     */
    static String portDelta(FirewallPlan current, FirewallPlan next) {
        return portDelta(current, next, Family.IPV4);
    }

    /** {@link #portDelta(FirewallPlan, FirewallPlan)} of the ports of {@code family}, for its tool. */
    static String portDelta(FirewallPlan current, FirewallPlan next, Family family) {
        Chains chains = Chains.of(next);
        String dnat = chains.dnat();
        // only the ports that changed become rules; one that moved to another owner unchanged cancels out
        Set<DnatRule> gone = dnatRules(current.name(), family.ports(current.portsMissingFrom(next)));
        Set<DnatRule> come = dnatRules(next.name(), family.ports(next.portsMissingFrom(current)));
        List<String> lines = new ArrayList<>();
        gone.stream().filter(r -> !come.contains(r)).forEach(r -> lines.add("-D " + dnat + " " + r.spec()));
        come.stream().filter(r -> !gone.contains(r)).forEach(r -> lines.add("-A " + dnat + " " + r.spec()));
        if (lines.isEmpty()) {
            return "";
        }
        List<String> nat = new ArrayList<>(jumpChecks("nat", chains));
        dnatJumps(chains).forEach(jump -> nat.add("-C " + jump));
        nat.addAll(lines);
        return table("raw", jumpChecks("raw", chains)) + table("filter", jumpChecks("filter", chains)) + table("nat", nat);
    }

    /** Removes every jump and chain of the rule set that {@code saved} shows, and nothing else. */
    static String removal(SavedRules saved) {
        StringBuilder removal = new StringBuilder();
        Jump.TABLES.forEach(table -> removal.append(tableRemoval(table, saved)));
        return removal.toString();
    }

    /**
     * Drops a packet for 127.0.0.0/8 that did not come from {@code lo}, before conntrack, DNAT and routing
     * see it: {@code route_localnet} on the zones' interfaces, which lets the host's own 127.0.0.1 traffic be
     * translated out to a container, can then never let a neighbour or a container reach a port meant for
     * the host alone. It must run before conntrack: a container's reply to a host process that connected
     * to 127.0.0.1 carries the gateway's address and becomes 127.0.0.1 only after it.
     */
    private static String rawTable(Chains chains, Set<Jump> missing, Family family) {
        List<String> lines = new ArrayList<>();
        chains.raw().forEach(chain -> lines.add(declaration(chain)));
        // the kernel itself drops ::1 from any other link; the rule says so all the same
        lines.add("-A " + chains.from("PREROUTING") + " -d " + family.loopback() + " ! -i lo -j DROP");
        lines.addAll(jumpInserts("raw", chains, missing));
        return table("raw", lines);
    }

    private static String natTable(FirewallPlan plan, Chains chains, Set<Jump> missing, Family family) {
        List<String> lines = new ArrayList<>();
        chains.nat().forEach(chain -> lines.add(declaration(chain)));
        dnatJumps(chains).forEach(jump -> lines.add("-A " + jump));
        dnatRules(plan.name(), family.ports(plan.ports())).forEach(rule -> lines.add("-A " + chains.dnat() + " " + rule.spec()));
        plan.zones().forEach(zone -> lines.addAll(masqueradeRules(zone, chains, family)));
        lines.addAll(jumpInserts("nat", chains, missing));
        return table("nat", lines);
    }

    /** The chain and rule of the jumps to the DNAT chain: for packets to the host's own addresses, from outside and from the host. */
    private static List<String> dnatJumps(Chains chains) {
        return List.of(dnatJump(chains, "PREROUTING"), dnatJump(chains, "OUTPUT"));
    }

    /**
     * Outbound masquerade, then hairpin (a container reaching a published port of its own network must
     * see the reply come back through the host), then the host's 127.0.0.1 (which cannot leave as is).
     */
    private static List<String> masqueradeRules(FirewallZone zone, Chains chains, Family family) {
        Optional<Cidr> subnet = family.subnet(zone);
        if (subnet.isEmpty()) {
            return List.of();
        }
        String append = "-A " + chains.from("POSTROUTING");
        List<String> rules = new ArrayList<>();
        outboundMasquerade(zone, chains, family).ifPresent(rules::add);
        rules.add(append + " -s " + subnet.get() + " -o " + pattern(zone) + " -m conntrack --ctstate DNAT -j MASQUERADE");
        if (family == Family.IPV4) {
            rules.add(append + " -s 127.0.0.0/8 -o " + pattern(zone) + " -j MASQUERADE");
        }
        return rules;
    }

    /**
     * The rule that masquerades what leaves {@code zone} for the world, as iptables-save prints it; none if it may
     * not. What leaves by one of the zone's own interfaces stays in the subnet and keeps its source: on a routed
     * network, traffic between two containers passes the host from one host link to another.
     */
    static Optional<String> outboundMasquerade(FirewallZone zone, Chains chains) {
        return outboundMasquerade(zone, chains, Family.IPV4);
    }

    /** {@link #outboundMasquerade(FirewallZone, Chains)} for the zone's subnet of {@code family}, if it has one. */
    static Optional<String> outboundMasquerade(FirewallZone zone, Chains chains, Family family) {
        if (!zone.masquerade() || zone.internal()) {
            return Optional.empty();
        }
        return family.subnet(zone).map(subnet -> "-A " + chains.from("POSTROUTING") + " -s " + subnet + " ! -o "
                + pattern(zone) + " -j MASQUERADE");
    }

    /**
     * What {@code -i} and {@code -o} match {@code zone}'s interfaces with: its bridge's name, or its name prefix
     * followed by iptables' wildcard {@code +}. One pattern per zone: a rule matches one, and a negated match
     * ({@code ! -o}) of several has no iptables form, so this backend {@link IptablesBackend#renders renders} no
     * other zones.
     */
    static String pattern(FirewallZone zone) {
        List<String> patterns = zone.interfaces().patterns("+");
        if (patterns.size() != 1) {
            throw new IllegalArgumentException("zone " + zone.network() + " has interfaces " + zone.interfaces().describe()
                    + ", which iptables cannot match with one pattern");
        }
        return patterns.get(0);
    }

    /** The rule of the chain that built-in chain {@code builtin} jumps to which sends local destinations to the DNAT chain. */
    static String dispatch(Chains chains, String builtin) {
        return "-A " + dnatJump(chains, builtin);
    }

    /** {@link #dispatch}'s rule without its {@code -A}, as {@code -C} checks it too. */
    private static String dnatJump(Chains chains, String builtin) {
        return chains.from(builtin) + " -m addrtype --dst-type LOCAL -j " + chains.dnat();
    }

    /**
     * Every rule drops or returns, never accepts: what this chain lets pass, the host's own rules after the
     * jump still judge.
     */
    private static String filterTable(FirewallPlan plan, Chains chains, Set<Jump> missing, Family family) {
        List<String> lines = new ArrayList<>();
        chains.filter().forEach(chain -> lines.add(declaration(chain)));
        String append = "-A " + chains.from("FORWARD");
        for (FirewallZone zone : plan.zones()) {
            lines.addAll(zone.internal() ? internalRules(append, zone) : isolationRules(append, zone, plan.zones()));
        }
        if (family.guarded(plan)) {
            lines.addAll(forwardingGuard(append, plan.zones()));
        }
        if (family == Family.IPV4) {
            lines.addAll(nameServerRules(chains, plan.zones())); // a name server listens on the IPv4 gateway only
        }
        lines.addAll(jumpInserts("filter", chains, missing));
        return table("filter", lines);
    }

    /**
     * Drops traffic from this zone's interfaces to every other routed zone's (the other zone's rules cover the
     * way back), and what enters the zone from anywhere else unless it is a reply or was sent there by a
     * published port's DNAT: a neighbour routing the subnet via the host reaches no port directly.
     */
    private static List<String> isolationRules(String append, FirewallZone zone, List<FirewallZone> zones) {
        String ifaces = pattern(zone);
        List<String> rules = new ArrayList<>(zones.stream()
                .filter(other -> !other.internal() && !pattern(other).equals(ifaces))
                .map(other -> append + " -i " + ifaces + " -o " + pattern(other) + " -j DROP")
                .toList());
        rules.add(append + " ! -i " + ifaces + " -o " + ifaces
                + " -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP");
        return rules;
    }

    /**
     * Forwarding was off before ctrnet turned it on: traffic from or to a zone's interfaces goes back to the
     * built-in chain, anything else is dropped. Runs after the zones' rules, which a return would skip.
     */
    private static List<String> forwardingGuard(String append, List<FirewallZone> zones) {
        List<String> rules = new ArrayList<>();
        zones.stream().map(IptablesScript::pattern).distinct().forEach(ifaces -> {
            rules.add(append + " -i " + ifaces + " -j RETURN");
            rules.add(append + " -o " + ifaces + " -j RETURN");
        });
        rules.add(append + " -j DROP");
        return rules;
    }

    /**
     * DNS to a zone's gateway, where its name server listens, only from its own interfaces or the host itself:
     * the host would otherwise deliver a query from another network's container, or from a neighbour that
     * routes the subnet via the host, since the gateway is one of its addresses.
     */
    private static List<String> nameServerRules(Chains chains, List<FirewallZone> zones) {
        String append = "-A " + chains.from("INPUT");
        List<String> rules = new ArrayList<>(List.of(append + " -i lo -j RETURN"));
        for (FirewallZone zone : zones) {
            for (String protocol : List.of("udp", "tcp")) {
                rules.add(append + " -d " + zone.gateway().getHostAddress() + "/32 ! -i " + pattern(zone) + " -p "
                        + protocol + " -m " + protocol + " --dport 53 -j DROP");
            }
        }
        return rules;
    }

    /** An internal zone forwards only among its own interfaces, in both directions. */
    private static List<String> internalRules(String append, FirewallZone zone) {
        String ifaces = pattern(zone);
        return List.of(append + " -i " + ifaces + " ! -o " + ifaces + " -j DROP",
                append + " ! -i " + ifaces + " -o " + ifaces + " -j DROP");
    }

    private static List<String> jumpInserts(String table, Chains chains, Set<Jump> missing) {
        return missing.stream().filter(j -> j.table().equals(table)).map(j -> j.insert(chains)).toList();
    }

    /** Checks that every jump of {@code table} into the rule set's chains is in place. */
    private static List<String> jumpChecks(String table, Chains chains) {
        return Stream.of(Jump.values()).filter(j -> j.table().equals(table)).map(j -> j.check(chains)).toList();
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

    private static Set<DnatRule> dnatRules(String ruleSet, List<PublishedPort> ports) {
        Set<DnatRule> rules = new LinkedHashSet<>();
        ports.forEach(port -> rules.addAll(DnatRule.of(ruleSet, port)));
        return rules;
    }
}
