package dev.ctrnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.testing.Privileged;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The routed example driver, {@code examples/driver-ptp}, built on its own and loaded from a plugin folder, through
 * the real CLI, once per NAT backend: no bridge, a veth pair and a /32 per container, and the firewall keeping the
 * same promises as for a bridge network (issue 11).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Privileged
abstract class PtpContract {
    private final String backend;
    private final Path root;
    private Ctrnet ctrnet;

    PtpContract(String backend, String root) {
        this.backend = backend;
        this.root = Path.of(root);
    }

    @BeforeAll
    void host() {
        TestHost.ensure();
        ctrnet = new Ctrnet(root, "--nat", backend, "--plugin-dir", ExamplePlugin.folder("driver-ptp").toString());
    }

    @AfterAll
    void cleanUp() {
        ctrnet.removeEverything();
    }

    @Test
    void containersOfARoutedNetworkSeeEachOthersOwnAddresses() {
        String id = ctrnet.ok("network", "create", "--driver", "ptp", "--subnet", "10.61.0.0/24", "p2p").trim();
        String prefix = "pt" + id.substring(0, 6);
        ctrnet.ok("run", "-d", "--name", "listener", "--network", "p2p", "--", "socat", "TCP-LISTEN:7300,reuseaddr,fork",
                "SYSTEM:echo $SOCAT_PEERADDR");
        ctrnet.ok("run", "-d", "--name", "talker", "--network", "p2p", "--", "sleep", "300");
        String talker = ctrnet.ip("talker");
        assertTrue(ctrnet.ok("exec", "talker", "--", "ip", "-4", "-o", "addr", "show", "eth0").contains(talker + "/32"),
                "the container holds its address alone");
        String hostRoute = Shell.run(List.of("ip", "route", "show", talker)).ok().out();
        assertTrue(hostRoute.contains("dev " + prefix), "the host routes it to its own link: " + hostRoute);
        assertEquals("", Shell.run(List.of("ip", "-o", "link", "show", "type", "bridge")).ok().out().lines()
                .filter(l -> l.contains(prefix)).reduce("", String::concat), "no bridge");

        ctrnet.awaitListening("listener", 7300);
        String seen = ctrnet.ok("exec", "talker", "--", "socat", "-T3", "-", "TCP:" + ctrnet.ip("listener") + ":7300").trim();
        assertEquals(talker, seen, "the peer sees the container's own address, not the gateway's");

        ctrnet.ok("rm", "-f", "listener", "talker");
        ctrnet.ok("network", "rm", "p2p");
        assertTrue(Eventually.holds(() -> !Shell.run(List.of("ip", "-o", "link")).ok().out().contains(prefix)),
                "no host link of the network is left");
    }

    @Test
    void portsAnswerOnLoopbackFromOutsideAndByHairpin() {
        ctrnet.ok("network", "create", "--driver", "ptp", "--subnet", "10.62.0.0/24", "p2p-pub");
        ctrnet.ok("run", "-d", "--name", "ptpweb", "--network", "p2p-pub", "-p", "127.0.0.1:8580:80", "-p", "8581:80",
                "--", "socat", "TCP-LISTEN:80,reuseaddr,fork", "SYSTEM:echo ptp-web");
        ctrnet.awaitListening("ptpweb", 80);
        assertEquals("ptp-web", TestHost.tcp(List.of(), "127.0.0.1", 8580), "from the host via 127.0.0.1");
        assertEquals("", TestHost.tcp(TestHost.outside(), TestHost.HOST_IP, 8580), "a loopback port is the host's alone");
        assertEquals("ptp-web", TestHost.tcp(TestHost.outside(), TestHost.HOST_IP, 8581), "from another host");
        assertEquals("ptp-web", TestHost.tcp(ctrnet.exec("ptpweb"), TestHost.HOST_IP, 8581),
                "hairpin from the container itself");
        ctrnet.ok("rm", "-f", "ptpweb");
        assertEquals("", TestHost.tcp(List.of(), "127.0.0.1", 8580), "rm unpublishes");
        ctrnet.ok("network", "rm", "p2p-pub");
    }

    @Test
    void routedAndBridgedNetworksAreIsolatedBothWays() {
        ctrnet.ok("network", "create", "--driver", "ptp", "--subnet", "10.63.0.0/24", "p2p-iso");
        ctrnet.ok("run", "-d", "--name", "on-ptp", "--network", "p2p-iso", "--", "sleep", "300");
        ctrnet.ok("run", "-d", "--name", "on-bridge", "--", "sleep", "300");
        assertTrue(ctrnet.reaches("on-ptp", "10.63.0.1"), "the routed container reaches its gateway");
        assertTrue(ctrnet.reaches("on-bridge", (String) ctrnet.inspect("on-bridge").get("gateway")),
                "the bridged one reaches its own");
        assertNotEquals(0, ctrnet.ping("on-ptp", ctrnet.ip("on-bridge")), "routed cannot reach bridged");
        assertNotEquals(0, ctrnet.ping("on-bridge", ctrnet.ip("on-ptp")), "bridged cannot reach routed");
        ctrnet.ok("rm", "-f", "on-ptp", "on-bridge");
        ctrnet.ok("network", "rm", "p2p-iso");
    }

    @Test
    void anInternalRoutedNetworkReachesOnlyItself() {
        ctrnet.ok("network", "create", "--driver", "ptp", "--internal", "--subnet", "10.64.0.0/24", "p2p-vault");
        ctrnet.ok("run", "-d", "--name", "cell1", "--network", "p2p-vault", "--", "sleep", "300");
        ctrnet.ok("run", "-d", "--name", "cell2", "--network", "p2p-vault", "--", "sleep", "300");
        assertTrue(ctrnet.reaches("cell1", ctrnet.ip("cell2")), "its containers reach each other");
        assertNotEquals(0, ctrnet.ping("cell1", TestHost.OUTSIDE_IP), "but nothing outside");
        ctrnet.ok("rm", "-f", "cell1", "cell2");
        ctrnet.ok("network", "rm", "p2p-vault");
    }

    @Test
    void theOutsideWorldSeesTheHostsAddress() {
        ctrnet.ok("network", "create", "--driver", "ptp", "--subnet", "10.65.0.0/24", "p2p-out");
        ctrnet.ok("run", "-d", "--name", "goer", "--network", "p2p-out", "--", "sleep", "300");
        assertEquals(TestHost.HOST_IP, TestHost.sourceSeenOutside(ctrnet.exec("goer"), 7400),
                "masqueraded to the host's address");
        var doctor = ctrnet.run("doctor", "goer");
        assertEquals(0, doctor.exit(), "the doctor finds the routed path healthy:\n" + doctor.out() + doctor.err());
        ctrnet.ok("rm", "-f", "goer");
        ctrnet.ok("network", "rm", "p2p-out");
        assertFalse(ctrnet.ok("network", "ls").contains("p2p-out"));
    }
}
