package dev.ctrnet.api.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.api.net.PortMapping;
import dev.ctrnet.api.net.PortRange;
import dev.ctrnet.api.testing.Plans;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link FirewallPlan#portsMissingFrom} walks two sorted plans side by side: it finds what a set difference
 * finds, whether the plans share their port objects (one made from the other) or hold equal copies.
 * {@link FirewallPlan#withoutPortsOf} and {@link FirewallPlan#portsOf} search by order: they find what a filter
 * finds, and a plan made from another's ports is checked again when its networks differ.
 */
class FirewallPlanProperties {
    /** What a step does to the ports of a plan. */
    enum Step { REMOVE, COPY, ADD_BESIDE }

    @Property(tries = 500)
    void theDifferenceIsTheSetDifference(@ForAll("plans") FirewallPlan plan, @ForAll("steps") List<Step> steps) {
        List<PublishedPort> ports = new ArrayList<>(plan.ports());
        for (int i = 0; i < steps.size() && !ports.isEmpty(); i++) {
            int at = i % ports.size();
            PublishedPort port = ports.get(at);
            PortMapping m = port.mapping();
            switch (steps.get(i)) {
                case REMOVE -> ports.remove(at);
                // an equal port that is another object, as read back from a file
                case COPY -> ports.set(at, new PublishedPort(port.network(), port.container(),
                        IpAddresses.parse(IpAddresses.format(port.containerIp())),
                        new PortMapping(IpAddresses.parse(IpAddresses.format(m.hostIp())),
                                PortRange.parse(m.hostPorts().toString()), PortRange.parse(m.containerPorts().toString()),
                                m.protocol())));
                // a port with the same order key: the same container, protocol and first host port, on 127.0.0.1
                case ADD_BESIDE -> ports.add(at, new PublishedPort(port.network(), port.container(), port.containerIp(),
                        new PortMapping(IpAddresses.parse("127.0.0.1"), m.hostPorts(), m.containerPorts(), m.protocol())));
            }
        }
        FirewallPlan other = new FirewallPlan(plan.name(), plan.zones(), ports, plan.forwardingGuard());
        assertEquals(setDifference(plan, other), plan.portsMissingFrom(other));
        assertEquals(setDifference(other, plan), other.portsMissingFrom(plan));
    }

    @Property
    void theGuardUnchangedIsTheSamePlan(@ForAll("plans") FirewallPlan plan) {
        assertSame(plan, plan.withForwardingGuard(plan.forwardingGuard()));
        assertEquals(plan, plan.withForwardingGuard(!plan.forwardingGuard()).withForwardingGuard(plan.forwardingGuard()));
    }

    @Property(tries = 300)
    void aContainersPortsAreFoundAsAFilterFindsThem(@ForAll("plans") FirewallPlan plan,
            @ForAll("containers") String container) {
        List<PublishedPort> theirs = plan.ports().stream().filter(p -> p.container().equals(container)).toList();
        List<PublishedPort> others = plan.ports().stream().filter(p -> !p.container().equals(container)).toList();
        assertEquals(theirs, plan.portsOf(container));
        FirewallPlan without = plan.withoutPortsOf(container);
        assertEquals(new FirewallPlan(plan.name(), plan.zones(), others, plan.forwardingGuard(), plan.forwardingGuard6()),
                without);
        assertEquals(others, without.ports());
        assertEquals(theirs, plan.portsMissingFrom(without));
        if (theirs.isEmpty()) {
            assertSame(plan, without);
        }
    }

    @Property(tries = 100)
    void portsKeptForOtherNetworksAreCheckedAgain(@ForAll("plans") FirewallPlan plan) {
        Assume.that(!plan.ports().isEmpty());
        String network = plan.ports().get(0).network();
        List<FirewallZone> fewer = plan.zones().stream().filter(z -> !z.network().equals(network)).toList();
        FirewallPlan without = plan.withoutPortsOf(plan.ports().get(0).container());
        assertThrows(IllegalArgumentException.class, () -> new FirewallPlan(plan.name(), fewer, plan.ports()));
        if (without.ports().stream().anyMatch(p -> p.network().equals(network))) {
            assertThrows(IllegalArgumentException.class, () -> new FirewallPlan(plan.name(), fewer, without.ports()));
        }
    }

    private static List<PublishedPort> setDifference(FirewallPlan from, FirewallPlan to) {
        Set<PublishedPort> theirs = new HashSet<>(to.ports());
        return from.ports().stream().filter(p -> !theirs.contains(p)).toList();
    }

    @Provide
    Arbitrary<FirewallPlan> plans() {
        return Plans.plans();
    }

    /** The generated plans' containers (c2 to c5), and names that sort beside them but own no port. */
    @Provide
    Arbitrary<String> containers() {
        return Arbitraries.of("c2", "c3", "c4", "c5", "c", "c20", "c6", "b9", "d");
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Arbitraries.of(Step.class).list().ofMaxSize(6);
    }
}
