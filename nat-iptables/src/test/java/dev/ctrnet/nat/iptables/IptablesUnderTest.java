package dev.ctrnet.nat.iptables;

import dev.ctrnet.api.NatBackend;
import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.testing.NatBackendUnderTest;
import dev.ctrnet.api.testing.Shell;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The iptables backend for the conformance kit: a rule set is its chains and the jumps into them, which
 * {@code iptables-save} prints among everyone else's rules.
 */
final class IptablesUnderTest implements NatBackendUnderTest {
    @Override
    public NatBackend backend() {
        return new IptablesBackend();
    }

    /** The rule set's lines of iptables-save, one string for comparing and for failure messages. */
    @Override
    public String ownRules(FirewallPlan plan) {
        return String.join("\n", savedLines(plan));
    }

    /**
     * The lines without counters and sorted: a delta appends DNAT rules at the end of the chain where a full
     * apply writes them in plan order, which matches the same packets because published ports never overlap.
     */
    @Override
    public String normalised(String ownRules) {
        return ownRules.lines().map(line -> line.replaceAll("\\[\\d+:\\d+\\]", "")).sorted()
                .collect(Collectors.joining("\n"));
    }

    @Override
    public boolean holds(FirewallPlan plan) {
        return !savedLines(plan).isEmpty();
    }

    @Override
    public boolean holdsAnyRuleSet() {
        return Shell.ok("iptables-save").contains("CTRNET");
    }

    /** The nat table only: the filter table's isolation rules stay. */
    @Override
    public void flushAddressTranslation() {
        Shell.ok("iptables -t nat -F");
    }

    @Override
    public void flushEverything() {
        Shell.ok("iptables -t nat -F && iptables -F");
    }

    /**
     * The lines of iptables-save that name one of the chains of {@code plan}'s rule set, as printed and in
     * order. A chain name must be a whole word: {@code CTRNET-DNAT} is not part of {@code CTRNET-ABC123-DNAT}
     * here.
     */
    static List<String> savedLines(FirewallPlan plan) {
        Chains chains = Chains.of(plan);
        List<String> own = new ArrayList<>(chains.nat());
        own.addAll(chains.filter());
        return Shell.ok("iptables-save").lines()
                .filter(line -> Arrays.stream(line.split("[\\s:]+")).anyMatch(own::contains))
                .toList();
    }
}
