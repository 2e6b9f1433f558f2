package dev.ctrnet.nat.iptables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ctrnet.api.firewall.FirewallPlan;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeProperty;

/** Properties of the backend against the real kernel, in the test sandbox. */
class IptablesProperties {
    private final IptablesBackend backend = new IptablesBackend();
    private final ProcessPrograms programs = new ProcessPrograms();

    @BeforeProperty
    void startClean() {
        Shell.requireSandbox();
        backend.removeAll(programs);
    }

    @Property(tries = 15)
    void applyingTwiceEqualsApplyingOnce(@ForAll("plans") FirewallPlan plan) {
        backend.apply(plan, programs);
        String once = ruleset();
        backend.apply(plan, programs);
        assertEquals(once, ruleset());
    }

    @Property(tries = 15)
    void updateOfPortsEqualsApply(@ForAll("pairsOverSameZones") List<FirewallPlan> pair) {
        assertUpdateEqualsApply(pair.get(0), pair.get(1));
    }

    @Property(tries = 10)
    void updateOfZonesEqualsApply(@ForAll("plans") FirewallPlan current, @ForAll("plans") FirewallPlan next) {
        assertUpdateEqualsApply(current, next);
    }

    /**
     * After flushed chains, the delta's first deletion fails, nothing of it is committed, and the update
     * applies the whole plan instead. (A delta that only adds cannot notice; a full apply repairs anything.)
     */
    @Property(tries = 5)
    void updateRepairsFlushedRules(@ForAll("pairsThatDiffer") List<FirewallPlan> pair) {
        backend.apply(pair.get(0), programs);
        Shell.ok("iptables -t nat -F && iptables -F");
        backend.update(pair.get(0), pair.get(1), programs);
        String updated = ruleset();
        backend.apply(pair.get(1), programs);
        assertEquals(ruleset(), updated);
    }

    @Property(tries = 5)
    void applyRepairsFlushedRules(@ForAll("plans") FirewallPlan plan) {
        backend.apply(plan, programs);
        String once = ruleset();
        Shell.ok("iptables -t nat -F && iptables -F");
        backend.apply(plan, programs);
        assertEquals(once, ruleset());
    }

    @Property(tries = 10)
    void removeAllLeavesNoTrace(@ForAll("plans") FirewallPlan plan) {
        backend.apply(plan, programs);
        backend.removeAll(programs);
        backend.removeAll(programs);
        assertFalse(Shell.ok("iptables-save").contains("CTRNET"));
    }

    @Provide
    Arbitrary<FirewallPlan> plans() {
        return Plans.plans();
    }

    @Provide
    Arbitrary<List<FirewallPlan>> pairsOverSameZones() {
        return Plans.zones().flatMap(zones -> Plans.plans(zones).list().ofSize(2));
    }

    /** Two plans over the same zones where the first has a port the second lacks. */
    @Provide
    Arbitrary<List<FirewallPlan>> pairsThatDiffer() {
        return Plans.zones().filter(zones -> !zones.isEmpty())
                .flatMap(zones -> Plans.plans(zones).list().ofSize(2))
                .map(pair -> List.of(Plans.withExtraPort(pair.get(0)), pair.get(1)));
    }

    private void assertUpdateEqualsApply(FirewallPlan current, FirewallPlan next) {
        backend.apply(current, programs);
        backend.update(current, next, programs);
        String updated = ruleset();
        backend.removeAll(programs);
        backend.apply(next, programs);
        assertEquals(ruleset(), updated);
    }

    /**
     * The backend's rules as iptables-save prints them, without counters and sorted: a delta appends DNAT
     * rules at the end of the chain where a full apply writes them in plan order, which matches the same
     * packets because published ports never overlap.
     */
    private static String ruleset() {
        return Shell.ok("iptables-save").lines().filter(line -> line.contains("CTRNET"))
                .map(line -> line.replaceAll("\\[\\d+:\\d+\\]", "")).sorted()
                .collect(Collectors.joining("\n"));
    }
}
