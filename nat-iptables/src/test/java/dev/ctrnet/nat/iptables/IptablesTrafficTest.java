package dev.ctrnet.nat.iptables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.firewall.PublishedPort;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real traffic through the rules of one plan, in the sandbox's topology (see {@link Topology}). */
class IptablesTrafficTest {
    private static final PublishedPort WEB = GoldenPlan.port("web", "c1", "10.77.0.2", "8080:80");
    private static final PublishedPort DNS = GoldenPlan.port("web", "c2", "10.77.0.3", "5353:53/udp");
    private static final PublishedPort BOUND = GoldenPlan.port("web", "c2", "10.77.0.3", "198.51.100.1:8081:81");
    private static final PublishedPort SAME_RANGE = GoldenPlan.port("web", "c1", "10.77.0.2", "20000-20002:20000-20002");
    private static final PublishedPort SHIFTED = GoldenPlan.port("web", "c2", "10.77.0.3", "8090-8091:90-91");
    private static final FirewallPlan PLAN = new FirewallPlan(GoldenPlan.NAME,
            List.of(Topology.WEB, Topology.OTHER, Topology.VAULT), List.of(WEB, DNS, BOUND, SAME_RANGE, SHIFTED));

    private static Topology topology;
    private static final IptablesBackend BACKEND = new IptablesBackend();
    private static final ProcessPrograms PROGRAMS = new ProcessPrograms();

    @BeforeAll
    static void build() {
        topology = new Topology();
        topology.listenTcp("c1", 80);
        topology.listenTcp("c1", 20001);
        topology.listenTcp("c2", 81);
        topology.listenTcp("c2", 91);
        topology.listenUdp("c2", 53);
        topology.listenTcp("c3", 80);
        topology.listenTcp("out", 9000);
        BACKEND.remove(PLAN.name(), PROGRAMS);
        // Without rules the networks reach each other: the isolation checks below would prove nothing otherwise.
        assertTrue(Topology.ping("c1", "10.78.0.2"));
        BACKEND.apply(PLAN, PROGRAMS);
    }

    @AfterAll
    static void tearDown() {
        BACKEND.remove(PLAN.name(), PROGRAMS);
        topology.close();
    }

    @Test
    void containersLeaveMasqueraded() {
        assertEquals("out-9000 from 198.51.100.1", Topology.tcp("c1", "198.51.100.2", 9000));
    }

    @Test
    void publishedPortsAnswerFromOutside() {
        assertTrue(Topology.tcp("out", "198.51.100.1", 8080).startsWith("c1-80 "));
        assertEquals("c2-53", Topology.udp("out", "198.51.100.1", 5353));
        assertTrue(Topology.tcp("out", "198.51.100.1", 20001).startsWith("c1-20001 "));
        assertTrue(Topology.tcp("out", "198.51.100.1", 8091).startsWith("c2-91 "));
        // Every host address, not just the first.
        assertTrue(Topology.tcp("out", "198.51.100.3", 8080).startsWith("c1-80 "));
    }

    @Test
    void publishedPortsAnswerFromTheHost() {
        assertTrue(Topology.tcp("host", "198.51.100.1", 8080).startsWith("c1-80 "));
        assertTrue(Topology.tcp("host", "127.0.0.1", 8080).startsWith("c1-80 "));
    }

    @Test
    void hairpinReachesThePeerAndItself() {
        assertTrue(Topology.tcp("c2", "198.51.100.1", 8080).startsWith("c1-80 "));
        assertTrue(Topology.tcp("c1", "198.51.100.1", 8080).startsWith("c1-80 "));
    }

    @Test
    void hostBoundPortAnswersOnlyOnItsAddress() {
        assertTrue(Topology.tcp("out", "198.51.100.1", 8081).startsWith("c2-81 "));
        assertEquals("", Topology.tcp("out", "198.51.100.3", 8081));
    }

    @Test
    void networksAreIsolatedBothWays() {
        assertFalse(Topology.ping("c1", "10.78.0.2"));
        assertFalse(Topology.ping("c3", "10.77.0.2"));
        assertEquals("", Topology.tcp("c3", "10.77.0.2", 80));
    }

    @Test
    void internalNetworkReachesOnlyItsGateway() {
        assertTrue(Topology.ping("c4", "10.79.0.1"));
        assertFalse(Topology.ping("c4", "198.51.100.2"));
        assertFalse(Topology.ping("c4", "10.77.0.2"));
        assertFalse(Topology.ping("c1", "10.79.0.2"));
    }

    @Test
    void removedPortStopsAnsweringAndFlushedRulesComeBackOnApply() {
        FirewallPlan withoutShifted = new FirewallPlan(PLAN.name(), PLAN.zones(), List.of(WEB, DNS, BOUND, SAME_RANGE));
        BACKEND.update(PLAN, withoutShifted, PROGRAMS);
        assertEquals("", Topology.tcp("out", "198.51.100.1", 8091));
        BACKEND.update(withoutShifted, PLAN, PROGRAMS);
        assertTrue(Topology.tcp("out", "198.51.100.1", 8091).startsWith("c2-91 "));

        Shell.ok("iptables -t nat -F");
        assertEquals("", Topology.tcp("out", "198.51.100.1", 8081));
        BACKEND.apply(PLAN, PROGRAMS);
        assertTrue(Topology.tcp("out", "198.51.100.1", 8081).startsWith("c2-81 "));
    }
}
