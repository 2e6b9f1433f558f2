package dev.ctrnet.api.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

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
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link FirewallPlan#portsMissingFrom} walks two sorted plans side by side: it finds what a set difference
 * finds, whether the plans share their port objects (one made from the other) or hold equal copies.
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

    private static List<PublishedPort> setDifference(FirewallPlan from, FirewallPlan to) {
        Set<PublishedPort> theirs = new HashSet<>(to.ports());
        return from.ports().stream().filter(p -> !theirs.contains(p)).toList();
    }

    @Provide
    Arbitrary<FirewallPlan> plans() {
        return Plans.plans();
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Arbitraries.of(Step.class).list().ofMaxSize(6);
    }
}
