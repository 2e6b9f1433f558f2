package dev.ctrnet.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ctrnet.api.NatBackend;
import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.kernel.Programs;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Properties of the backend against the real kernel, in the test sandbox, over the plans of {@link Plans}:
 * applying is idempotent, an update ends where a full apply does, flushed rules are repaired, remove leaves
 * no trace, and rule sets are independent.
 */
@Privileged
public abstract class NatBackendPropertiesContract {
    private final NatBackendUnderTest underTest;
    private final NatBackend backend;
    private final Programs programs;

    /** The contract for {@code underTest}. */
    protected NatBackendPropertiesContract(NatBackendUnderTest underTest) {
        this.underTest = underTest;
        this.backend = underTest.backend();
        this.programs = underTest.programs();
    }

    /** Removes every rule set a generated plan can name, whatever an earlier property left. */
    @BeforeProperty
    public void startClean() {
        Shell.requireSandbox();
        Plans.NAMES.forEach(name -> backend.remove(name, programs));
    }

    @Property(tries = 15)
    public void applyingTwiceEqualsApplyingOnce(@ForAll("plans") FirewallPlan plan) {
        backend.apply(plan, programs);
        String once = ruleset(plan);
        backend.apply(plan, programs);
        assertEquals(once, ruleset(plan));
    }

    @Property(tries = 15)
    public void updateOfPortsEqualsApply(@ForAll("pairsOverSameZones") List<FirewallPlan> pair) {
        assertUpdateEqualsApply(pair.get(0), pair.get(1));
    }

    @Property(tries = 10)
    public void updateOfZonesEqualsApply(@ForAll("pairs") List<FirewallPlan> pair) {
        assertUpdateEqualsApply(pair.get(0), pair.get(1));
    }

    /**
     * After flushed rules, the delta's first deletion fails, nothing of it is committed, and the update
     * applies the whole plan instead. (A delta that only adds cannot notice; a full apply repairs anything.)
     */
    @Property(tries = 5)
    public void updateRepairsFlushedRules(@ForAll("pairsThatDiffer") List<FirewallPlan> pair) {
        backend.apply(pair.get(0), programs);
        underTest.flushEverything();
        backend.update(pair.get(0), pair.get(1), programs);
        String updated = ruleset(pair.get(1));
        backend.apply(pair.get(1), programs);
        assertEquals(ruleset(pair.get(1)), updated);
    }

    @Property(tries = 5)
    public void applyRepairsFlushedRules(@ForAll("plans") FirewallPlan plan) {
        backend.apply(plan, programs);
        String once = ruleset(plan);
        underTest.flushEverything();
        backend.apply(plan, programs);
        assertEquals(once, ruleset(plan));
    }

    @Property(tries = 10)
    public void removeLeavesNoTrace(@ForAll("plans") FirewallPlan plan) {
        backend.apply(plan, programs);
        backend.remove(plan.name(), programs);
        backend.remove(plan.name(), programs);
        assertFalse(underTest.holdsAnyRuleSet());
    }

    /** A rule set's whole lifecycle leaves another's rules as they were, byte for byte. */
    @Property(tries = 10)
    public void ruleSetsAreIndependent(@ForAll("pairsOverSameZones") List<FirewallPlan> pair,
            @ForAll("plans") FirewallPlan other) {
        String name = pair.get(0).name();
        String otherName = Plans.NAMES.stream().filter(n -> !n.equals(name)).findFirst().orElseThrow();
        FirewallPlan bystander = new FirewallPlan(otherName, other.zones(), other.ports());
        backend.apply(bystander, programs);
        String before = underTest.ownRules(bystander);
        backend.apply(pair.get(0), programs);
        backend.update(pair.get(0), pair.get(1), programs);
        backend.remove(name, programs);
        assertEquals(before, underTest.ownRules(bystander));
    }

    /** Any generated plan. */
    @Provide
    public Arbitrary<FirewallPlan> plans() {
        return Plans.plans();
    }

    /** Two plans of one rule set, as an update sees them. */
    @Provide
    public Arbitrary<List<FirewallPlan>> pairs() {
        return Plans.names().flatMap(name -> Plans.plans(name).list().ofSize(2));
    }

    /** Two plans of one rule set over the same zones: an update of ports only. */
    @Provide
    public Arbitrary<List<FirewallPlan>> pairsOverSameZones() {
        return Plans.names().flatMap(name -> Plans.zones().flatMap(zones -> Plans.plans(name, zones).list().ofSize(2)));
    }

    /** Two plans over the same zones where the first has a port the second lacks. */
    @Provide
    public Arbitrary<List<FirewallPlan>> pairsThatDiffer() {
        return Plans.names().flatMap(name -> Plans.zones().filter(zones -> !zones.isEmpty())
                .flatMap(zones -> Plans.plans(name, zones).list().ofSize(2))
                .map(pair -> List.of(Plans.withExtraPort(pair.get(0)), pair.get(1))));
    }

    private void assertUpdateEqualsApply(FirewallPlan current, FirewallPlan next) {
        backend.apply(current, programs);
        backend.update(current, next, programs);
        String updated = ruleset(next);
        backend.remove(next.name(), programs);
        backend.apply(next, programs);
        assertEquals(ruleset(next), updated);
    }

    private String ruleset(FirewallPlan plan) {
        return underTest.normalised(underTest.ownRules(plan));
    }
}
