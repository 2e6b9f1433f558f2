package dev.ctrnet.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ctrnet.api.NatBackend;
import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.firewall.FirewallZone;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Names that reach the backend's rule scripts, each replaced by hostile strings ({@link HostileInput}): the
 * plan's values refuse the string with a clean one-line message, or the backend renders the script it
 * renders for a plain name in its place, its own tool in check-only mode parses it, and once applied the
 * kernel holds exactly the rules of the plain name, the name aside. So no name can add, drop or change a
 * rule, whatever the backend does with it.
 */
@Privileged
public abstract class NatBackendInputContract {
    private final NatBackendUnderTest underTest;
    private final NatBackend backend;
    private final ProcessPrograms programs = new ProcessPrograms();

    /** The contract for {@code underTest}. */
    protected NatBackendInputContract(NatBackendUnderTest underTest) {
        this.underTest = underTest;
        this.backend = underTest.backend();
    }

    /** The backend's tool in its check-only mode, reading rules on its standard input. */
    protected abstract List<String> dryRun();

    /** What the backend sends to move from {@code current} to {@code next}, whose zones are the same. */
    protected abstract String renderPortDelta(FirewallPlan current, FirewallPlan next);

    /** Where a name goes in a plan, with the plain name that stands there otherwise. */
    public enum Slot {
        /** The rule set's name. */
        RULE_SET("ctrnet-plain"),
        /** A network's name, in its zone and its ports. */
        NETWORK("plainnet"),
        /** A network's bridge. */
        BRIDGE("plainbr"),
        /** A container that publishes a port. */
        CONTAINER("plainctr");

        private final String plain;

        Slot(String plain) {
            this.plain = plain;
        }

        /** A plan with two zones and a port, {@code value} in this slot and the plain names elsewhere. */
        FirewallPlan plan(String value) {
            String ruleSet = this == RULE_SET ? value : RULE_SET.plain;
            String network = this == NETWORK ? value : NETWORK.plain;
            FirewallZone zone = new FirewallZone(network, this == BRIDGE ? value : BRIDGE.plain,
                    Cidr.parse("10.66.0.0/24"), IpAddresses.parse("10.66.0.1"), true, false);
            return new FirewallPlan(ruleSet, List.of(zone, OTHER_ZONE), List.of(
                    GoldenPlan.port(network, this == CONTAINER ? value : CONTAINER.plain, "10.66.0.2", "8080:80"),
                    GoldenPlan.port(network, this == CONTAINER ? value : CONTAINER.plain, "10.66.0.2", "9000-9001:9000-9001")));
        }

        /** {@code rendered} for the plain name, with {@code value} where the plain name is, as is and in upper case. */
        String substituted(String rendered, String value) {
            return rendered.replace(plain, value).replace(plain.toUpperCase(Locale.ROOT), value.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * A second zone, for the rules between zones. A plan sorts its zones by network name, and "0" sorts before
     * every other valid name, so a name in {@link Slot#NETWORK} never moves the rules of one zone past the other's.
     */
    private static final FirewallZone OTHER_ZONE = new FirewallZone("0", "zzotherbr", Cidr.parse("10.67.0.0/24"),
            IpAddresses.parse("10.67.0.1"), false, true);

    @Provide
    public Arbitrary<String> hostile() {
        return HostileInput.strings();
    }

    @Property(tries = 400)
    public void aNameIsRefusedOrRendersTheRulesOfAPlainName(@ForAll("hostile") String value, @ForAll Slot slot) {
        Assume.that(!value.equals(OTHER_ZONE.network()) && !value.equals(OTHER_ZONE.bridge()));
        FirewallPlan plan;
        try {
            plan = slot.plan(value);
        } catch (IllegalArgumentException e) {
            HostileInput.assertCleanMessage(e.getMessage());
            Statistics.collect("refused");
            return;
        }
        Statistics.collect("accepted");
        FirewallPlan plain = slot.plan(slot.plain);
        String rendered = backend.render(plan);
        assertEquals(slot.substituted(backend.render(plain), value), rendered);
        Shell.assertAccepts(dryRun(), rendered);
        // a delta only parses against the rules it changes; equal to the plain name's, it is as good as that one
        assertEquals(slot.substituted(renderPortDelta(withoutPorts(plain), plain), value),
                renderPortDelta(withoutPorts(plan), plan));
        assertEquals(slot.substituted(held(plain), value), held(plan), "what the kernel holds");
    }

    /** The rules the kernel holds for {@code plan} once applied, as the backend's tool lists them; then removed. */
    private String held(FirewallPlan plan) {
        backend.apply(plan, programs);
        try {
            return underTest.normalised(underTest.ownRules(plan));
        } finally {
            backend.remove(plan.name(), programs);
        }
    }

    private static FirewallPlan withoutPorts(FirewallPlan plan) {
        return new FirewallPlan(plan.name(), plan.zones(), List.of());
    }
}
