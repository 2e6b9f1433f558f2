package dev.ctrnet.nat.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ctrnet.api.firewall.FirewallPlan;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeProperty;

/** Properties of the backend against the real kernel, in the test sandbox. */
class NftablesProperties {
    private static final Pattern ELEMENTS = Pattern.compile("elements = \\{(.*?)\\}", Pattern.DOTALL);

    private final NftablesBackend backend = new NftablesBackend();
    private final ProcessPrograms programs = new ProcessPrograms();

    @BeforeProperty
    void startClean() {
        Shell.requireSandbox();
        Plans.NAMES.forEach(name -> backend.remove(name, programs));
    }

    @Property(tries = 15)
    void applyingTwiceEqualsApplyingOnce(@ForAll("plans") FirewallPlan plan) {
        backend.apply(plan, programs);
        String once = ruleset(plan);
        backend.apply(plan, programs);
        assertEquals(once, ruleset(plan));
    }

    @Property(tries = 15)
    void updateOfPortsEqualsApply(@ForAll("pairsOverSameZones") List<FirewallPlan> pair) {
        assertUpdateEqualsApply(pair.get(0), pair.get(1));
    }

    @Property(tries = 10)
    void updateOfZonesEqualsApply(@ForAll("pairs") List<FirewallPlan> pair) {
        assertUpdateEqualsApply(pair.get(0), pair.get(1));
    }

    /**
     * After a flushed ruleset, the delta's first deletion fails, nothing of it is committed, and the update
     * applies the whole plan instead. (A delta that only adds cannot notice; a full apply repairs anything.)
     */
    @Property(tries = 5)
    void updateRepairsFlushedRules(@ForAll("pairsThatDiffer") List<FirewallPlan> pair) {
        backend.apply(pair.get(0), programs);
        Shell.ok("nft flush ruleset");
        backend.update(pair.get(0), pair.get(1), programs);
        String updated = ruleset(pair.get(1));
        backend.apply(pair.get(1), programs);
        assertEquals(ruleset(pair.get(1)), updated);
    }

    @Property(tries = 5)
    void applyRepairsFlushedRules(@ForAll("plans") FirewallPlan plan) {
        backend.apply(plan, programs);
        String once = ruleset(plan);
        Shell.ok("nft flush ruleset");
        backend.apply(plan, programs);
        assertEquals(once, ruleset(plan));
    }

    @Property(tries = 10)
    void removeLeavesNoTrace(@ForAll("plans") FirewallPlan plan) {
        backend.apply(plan, programs);
        backend.remove(plan.name(), programs);
        backend.remove(plan.name(), programs);
        assertFalse(Shell.ok("nft list tables").contains("ctrnet"));
    }

    /** A rule set's whole lifecycle leaves another's table as it was, byte for byte. */
    @Property(tries = 10)
    void ruleSetsAreIndependent(@ForAll("pairsOverSameZones") List<FirewallPlan> pair,
            @ForAll("plans") FirewallPlan other) {
        String name = pair.get(0).name();
        String otherName = Plans.NAMES.stream().filter(n -> !n.equals(name)).findFirst().orElseThrow();
        FirewallPlan bystander = new FirewallPlan(otherName, other.zones(), other.ports());
        backend.apply(bystander, programs);
        String before = listing(bystander);
        backend.apply(pair.get(0), programs);
        backend.update(pair.get(0), pair.get(1), programs);
        backend.remove(name, programs);
        assertEquals(before, listing(bystander));
    }

    @Provide
    Arbitrary<FirewallPlan> plans() {
        return Plans.plans();
    }

    /** Two plans of one rule set, as an update sees them. */
    @Provide
    Arbitrary<List<FirewallPlan>> pairs() {
        return Plans.names().flatMap(name -> Plans.plans(name).list().ofSize(2));
    }

    @Provide
    Arbitrary<List<FirewallPlan>> pairsOverSameZones() {
        return Plans.names().flatMap(name -> Plans.zones().flatMap(zones -> Plans.plans(name, zones).list().ofSize(2)));
    }

    /** Two plans over the same zones where the first has a port the second lacks. */
    @Provide
    Arbitrary<List<FirewallPlan>> pairsThatDiffer() {
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

    private static String listing(FirewallPlan plan) {
        return Shell.ok("nft list table " + NftablesScript.table(plan.name()));
    }

    /**
     * The table of {@code plan}'s rule set as nft lists it, with each element list sorted: hash maps list
     * in no fixed order.
     */
    private static String ruleset(FirewallPlan plan) {
        Matcher matcher = ELEMENTS.matcher(listing(plan));
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String sorted = Arrays.stream(matcher.group(1).split(",")).map(String::strip).sorted()
                    .collect(Collectors.joining(", "));
            matcher.appendReplacement(out, Matcher.quoteReplacement("elements = { " + sorted + " }"));
        }
        return matcher.appendTail(out).toString();
    }

}
