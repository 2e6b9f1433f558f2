package dev.ctrnet.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.NatBackend;
import dev.ctrnet.api.Network;
import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.firewall.FirewallZone;
import dev.ctrnet.api.kernel.Programs;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.api.testing.Testbed.Container;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Real traffic through the firewall a NAT backend makes of the driver's zones, for a driver whose containers the
 * host routes (one that declares a {@link FirewallZone}): containers of a network see each other's own addresses,
 * the outside sees the host's when the zone masquerades, a published port answers from the outside, on the host
 * (also on 127.0.0.1) and to its own network (hairpin), networks are isolated both ways, and an internal network
 * reaches only its gateway. A zone the backend cannot {@link NatBackend#renders render} fails the contract, as
 * the runtime refuses its network. Extend it once per backend the driver is meant to work with.
 *
 * <p>The testbed: networks {@code fwa} (containers f1, f2), {@code fwb} (f3) and the internal {@code fwc} (f4);
 * f1 publishes port 80 as 8080 and port 81 as 127.0.0.1:8081.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Privileged
public abstract class DriverFirewallContract {
    private final DriverUnderTest underTest;
    private final NatBackend backend;
    private final Programs programs;
    private Testbed testbed;
    private Container f1;
    private Container f2;
    private Container f3;
    private Container f4;

    /** The contract for {@code underTest} with {@code backend}, which runs the host's programs. */
    protected DriverFirewallContract(DriverUnderTest underTest, NatBackend backend) {
        this(underTest, backend, new ProcessPrograms());
    }

    /** The contract for {@code underTest} with {@code backend}, handed {@code programs} as the runtime would. */
    protected DriverFirewallContract(DriverUnderTest underTest, NatBackend backend, Programs programs) {
        this.underTest = underTest;
        this.backend = backend;
        this.programs = programs;
    }

    /**
     * Makes the networks, containers and listeners, shows that without rules the networks reach one another and
     * an internal container with a default route reaches the outside (or the checks below would prove nothing),
     * then has the backend apply the plan.
     */
    @BeforeAll
    public void build() {
        assertEquals(Optional.empty(), backend.unavailableReason(programs), "backend " + backend.name());
        testbed = new Testbed(underTest);
        Network web = testbed.network("fwa", false);
        Network other = testbed.network("fwb", false);
        Network internal = testbed.network("fwc", true);
        f1 = testbed.container("f1", web);
        f2 = testbed.container("f2", web);
        f3 = testbed.container("f3", other);
        f4 = testbed.container("f4", internal);
        f1.sandbox().listen(80);
        f1.sandbox().listen(81);
        f2.sandbox().listen(7000);
        f3.sandbox().listen(7000);
        testbed.outside().namespace().listen(9000);
        // a container allowed to change its routes may add one the driver did not: the firewall must hold anyway
        f4.sandbox().ok("ip route add default via " + IpAddresses.format(internal.gateway().orElseThrow()));

        backend.remove(TestbedFirewall.RULE_SET, programs);
        assertTrue(f1.sandbox().reaches(f3.address()), "without rules, fwa cannot reach fwb: isolation would prove nothing");
        assertTrue(f4.sandbox().reaches(Outside.ADDRESS), "without rules, fwc cannot reach the outside");
        FirewallPlan plan = TestbedFirewall.plan(testbed, List.of(TestbedFirewall.port(f1, "8080:80"),
                TestbedFirewall.port(f1, "127.0.0.1:8081:81")));
        for (FirewallZone zone : plan.zones()) {
            // the runtime refuses such a network at `network create`: the driver does not work with this backend
            assertTrue(backend.renders(zone.interfaces()), "backend " + backend.name() + " cannot render network "
                    + zone.network() + " behind " + zone.interfaces().describe());
        }
        backend.apply(plan, programs);
    }

    /** Removes the rules and what {@link #build()} made. */
    @AfterAll
    public void tearDown() {
        backend.remove(TestbedFirewall.RULE_SET, programs);
        if (testbed != null) {
            testbed.close();
        }
    }

    @Test
    public void containersOfOneNetworkSeeEachOthersOwnAddress() {
        assertEquals("ctk-f2-7000 from " + f1.address(), f1.sandbox().tcp(f2.address(), 7000));
    }

    @Test
    public void theOutsideSeesTheHostWhenTheZoneMasquerades() {
        String source = TestbedFirewall.masquerades(testbed, f1) ? Outside.HOST_ADDRESS : f1.address();
        assertEquals("ctk-out-9000 from " + source, f1.sandbox().tcp(Outside.ADDRESS, 9000));
    }

    @Test
    public void publishedPortAnswersFromTheOutside() {
        String answer = testbed.outside().namespace().tcp(Outside.HOST_ADDRESS, 8080);
        assertTrue(answer.startsWith("ctk-f1-80 from "), answer);
        assertEquals("", testbed.outside().namespace().tcp(Outside.HOST_ADDRESS, 8081),
                "a port published on 127.0.0.1 answers from the outside");
    }

    @Test
    public void publishedPortAnswersOnTheHost() {
        String answer = Namespace.tcpFromHost(Outside.HOST_ADDRESS, 8080);
        assertTrue(answer.startsWith("ctk-f1-80 from "), answer);
        String local = Namespace.tcpFromHost("127.0.0.1", 8081);
        assertTrue(local.startsWith("ctk-f1-81 from "), "127.0.0.1:8081: " + local);
    }

    /**
     * Hairpin: a container reaching the published port of its own network on the host's address, its own port
     * included, is masqueraded to the gateway, so that the answer comes back through the host that translated it.
     */
    @Test
    public void publishedPortAnswersItsOwnNetwork() {
        String gateway = IpAddresses.format(f1.network().gateway().orElseThrow());
        assertEquals("ctk-f1-80 from " + gateway, f1.sandbox().tcp(Outside.HOST_ADDRESS, 8080), "f1 to its own port");
        assertEquals("ctk-f1-80 from " + gateway, f2.sandbox().tcp(Outside.HOST_ADDRESS, 8080), "f2 to f1's port");
    }

    @Test
    public void networksAreIsolatedBothWays() {
        assertFalse(f1.sandbox().answersOnePing(f3.address()), "fwa pings fwb");
        assertFalse(f3.sandbox().answersOnePing(f1.address()), "fwb pings fwa");
        assertEquals("", f1.sandbox().tcp(f3.address(), 7000));
        assertEquals("", f3.sandbox().tcp(f1.address(), 80));
    }

    @Test
    public void internalNetworkReachesOnlyItsGateway() {
        Network internal = f4.network();
        assertTrue(f4.sandbox().reaches(IpAddresses.format(internal.gateway().orElseThrow())));
        assertFalse(f4.sandbox().answersOnePing(Outside.ADDRESS), "fwc reaches the outside");
        assertFalse(f4.sandbox().answersOnePing(f1.address()), "fwc reaches fwa");
        assertFalse(f1.sandbox().answersOnePing(f4.address()), "fwa reaches fwc");
    }
}
