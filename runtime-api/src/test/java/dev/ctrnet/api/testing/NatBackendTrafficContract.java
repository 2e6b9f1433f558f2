package dev.ctrnet.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.NatBackend;
import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.firewall.PublishedPort;
import dev.ctrnet.api.kernel.Programs;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Real traffic through the rules of one plan, in the sandbox's topology (see {@link Topology}): masquerade,
 * published ports from outside, from the host (also on 127.0.0.1, which the loopback guard must let pass)
 * and as hairpin, no direct routing into a subnet, isolation, and repair after a flush.
 */
@Privileged
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class NatBackendTrafficContract {
    private static final PublishedPort WEB = GoldenPlan.port("web", "c1", "10.77.0.2", "8080:80");
    private static final PublishedPort DNS = GoldenPlan.port("web", "c2", "10.77.0.3", "5353:53/udp");
    private static final PublishedPort BOUND = GoldenPlan.port("web", "c2", "10.77.0.3", "198.51.100.1:8081:81");
    private static final PublishedPort SAME_RANGE = GoldenPlan.port("web", "c1", "10.77.0.2", "20000-20002:20000-20002");
    private static final PublishedPort SHIFTED = GoldenPlan.port("web", "c2", "10.77.0.3", "8090-8091:90-91");
    private static final FirewallPlan PLAN = new FirewallPlan(GoldenPlan.NAME,
            List.of(Topology.WEB, Topology.OTHER, Topology.VAULT), List.of(WEB, DNS, BOUND, SAME_RANGE, SHIFTED));

    private final NatBackendUnderTest underTest;
    private final NatBackend backend;
    private final Programs programs;
    private Topology topology;

    /** The contract for {@code underTest}. */
    protected NatBackendTrafficContract(NatBackendUnderTest underTest) {
        this.underTest = underTest;
        this.backend = underTest.backend();
        this.programs = underTest.programs();
    }

    /** Builds the topology with its listeners and applies the plan. */
    @BeforeAll
    public void build() {
        topology = new Topology();
        topology.listenTcp("c1", 80);
        topology.listenTcp("c1", 20001);
        topology.listenTcp("c2", 81);
        topology.listenTcp("c2", 91);
        topology.listenUdp("c2", 53);
        topology.listenTcp("c3", 80);
        topology.listenTcp("out", 9000);
        backend.remove(PLAN.name(), programs);
        // Without rules the networks reach each other: the isolation checks below would prove nothing otherwise.
        assertTrue(Topology.reaches("c1", "10.78.0.2"));
        backend.apply(PLAN, programs);
    }

    /** Removes the rules and the topology. */
    @AfterAll
    public void tearDown() {
        backend.remove(PLAN.name(), programs);
        topology.close();
    }

    @Test
    public void containersLeaveMasqueraded() {
        assertEquals("out-9000 from 198.51.100.1", Topology.tcp("c1", "198.51.100.2", 9000));
    }

    @Test
    public void publishedPortsAnswerFromOutside() {
        assertTrue(Topology.tcp("out", "198.51.100.1", 8080).startsWith("c1-80 "));
        assertEquals("c2-53", Topology.udp("out", "198.51.100.1", 5353));
        assertTrue(Topology.tcp("out", "198.51.100.1", 20001).startsWith("c1-20001 "));
        assertTrue(Topology.tcp("out", "198.51.100.1", 8091).startsWith("c2-91 "));
        // Every host address, not just the first.
        assertTrue(Topology.tcp("out", "198.51.100.3", 8080).startsWith("c1-80 "));
    }

    @Test
    public void publishedPortsAnswerFromTheHost() {
        assertTrue(Topology.tcp("host", "198.51.100.1", 8080).startsWith("c1-80 "));
        assertTrue(Topology.tcp("host", "127.0.0.1", 8080).startsWith("c1-80 "));
    }

    @Test
    public void hairpinReachesThePeerAndItself() {
        assertTrue(Topology.tcp("c2", "198.51.100.1", 8080).startsWith("c1-80 "));
        assertTrue(Topology.tcp("c1", "198.51.100.1", 8080).startsWith("c1-80 "));
    }

    @Test
    public void hostBoundPortAnswersOnlyOnItsAddress() {
        assertTrue(Topology.tcp("out", "198.51.100.1", 8081).startsWith("c2-81 "));
        assertEquals("", Topology.tcp("out", "198.51.100.3", 8081));
    }

    /** A neighbour that routes a container subnet via the host reaches a container only through its published ports. */
    @Test
    public void routingASubnetViaTheHostReachesNoPortDirectly() {
        Shell.ok("ip -n ctt-out route replace 10.77.0.0/24 via 198.51.100.1");
        try {
            assertEquals("", Topology.tcp("out", "10.77.0.2", 80));
            assertEquals("", Topology.tcp("out", "10.77.0.3", 81));
            assertTrue(Topology.tcp("out", "198.51.100.1", 8080).startsWith("c1-80 "));
            assertEquals("out-9000 from 198.51.100.1", Topology.tcp("c1", "198.51.100.2", 9000));
        } finally {
            Shell.run("ip -n ctt-out route del 10.77.0.0/24");
        }
    }

    @Test
    public void networksAreIsolatedBothWays() {
        assertFalse(Topology.ping("c1", "10.78.0.2"));
        assertFalse(Topology.ping("c3", "10.77.0.2"));
        assertEquals("", Topology.tcp("c3", "10.77.0.2", 80));
    }

    @Test
    public void internalNetworkReachesOnlyItsGateway() {
        assertTrue(Topology.reaches("c4", "10.79.0.1"));
        assertFalse(Topology.ping("c4", "198.51.100.2"));
        assertFalse(Topology.ping("c4", "10.77.0.2"));
        assertFalse(Topology.ping("c1", "10.79.0.2"));
    }

    @Test
    public void removedPortStopsAnsweringAndFlushedRulesComeBackOnApply() {
        FirewallPlan withoutShifted = new FirewallPlan(PLAN.name(), PLAN.zones(), List.of(WEB, DNS, BOUND, SAME_RANGE));
        backend.update(PLAN, withoutShifted, programs);
        assertEquals("", Topology.tcp("out", "198.51.100.1", 8091));
        backend.update(withoutShifted, PLAN, programs);
        assertTrue(Topology.tcp("out", "198.51.100.1", 8091).startsWith("c2-91 "));

        underTest.flushAddressTranslation();
        assertEquals("", Topology.tcp("out", "198.51.100.1", 8081));
        backend.apply(PLAN, programs);
        assertTrue(Topology.tcp("out", "198.51.100.1", 8081).startsWith("c2-81 "));
    }
}
