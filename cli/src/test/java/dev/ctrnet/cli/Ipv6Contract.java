package dev.ctrnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.testing.Privileged;
import dev.ctrnet.api.testing.Probe;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 13's IPv6 dual stack through the real CLI, once per NAT backend: both addresses and default routes,
 * the outside world reached over IPv6 through masquerading, published ports over IPv6, isolation and internal
 * networks for both families, nothing left behind, and clean errors for bad IPv6 input. The outside world has
 * documentation addresses (2001:db8::/32) on the uplink.
 */
@Privileged
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class Ipv6Contract {
    private final Ctrnet ctrnet;
    private final String backend;

    Ipv6Contract(String backend, String root) {
        this.ctrnet = new Ctrnet(Path.of(root), "--nat", backend);
        this.backend = backend;
    }

    /** Every rule of the backend, of both families, read with its own tools. */
    abstract String rules();

    @BeforeAll
    void host() {
        TestHost.ensureIpv6();
    }

    @AfterAll
    void cleanUp() {
        ctrnet.removeEverything();
    }

    @Test
    void theLoopbackProxyStartsWhateverTheStateRootIsCalled() {
        Ctrnet odd = new Ctrnet(Path.of("/run/ctrnet-test/ipv6 root;$(false)"), "--nat", backend);
        try {
            odd.ok("network", "create", "--ipv6", "--subnet", "10.67.0.0/24", "--subnet", "fd00:67::/64", "odd6");
            odd.ok("run", "-d", "--name", "odd", "--network", "odd6", "-p", "8097:80", "--", "socat",
                    "-t" + Probe.PATIENCE, "TCP6-LISTEN:80,reuseaddr,fork", "SYSTEM:echo odd");
            odd.awaitListening("odd", 80);
            assertEquals("odd", TestHost.tcp(List.of(), "::1", 8097), "[::1] answers through the proxy");
        } finally {
            odd.removeEverything();
        }
    }

    @Test
    void dualStackContainersGetBothAddressesReachEachOtherAndTheWorldAndLeaveNothingBehind() throws IOException {
        ctrnet.ok("network", "create", "--ipv6", "--subnet", "10.61.0.0/24", "--subnet", "fd00:61::/64", "dual");
        Map<String, Object> n = Json.object(ctrnet.ok("network", "inspect", "dual"));
        assertEquals("10.61.0.0/24", n.get("subnet"));
        assertEquals("fd00:61::/64", n.get("subnet6"));
        assertEquals("fd00:61::1", n.get("gateway6"));
        String bridge = (String) n.get("bridge");
        assertTrue(ctrnet.ok("network", "ls").contains("10.61.0.0/24,fd00:61::/64"), ctrnet.ok("network", "ls"));
        assertTrue(Shell.run(List.of("ip", "-6", "addr", "show", "dev", bridge)).ok().out().contains("fd00:61::1/64"),
                "the bridge holds the IPv6 gateway");

        ctrnet.ok("run", "-d", "--name", "alpha", "--network", "dual", "--ip6", "fd00:61::a", "--", "sleep", "3061");
        ctrnet.ok("run", "-d", "--name", "beta", "--network", "dual", "--", "sleep", "3061");
        Map<String, Object> alpha = ctrnet.inspect("alpha");
        assertEquals("fd00:61::a", alpha.get("ip6"));
        assertEquals("fd00:61::1", alpha.get("gateway6"));
        assertTrue(((String) alpha.get("ip")).startsWith("10.61.0."), alpha.toString());
        String beta6 = (String) ctrnet.inspect("beta").get("ip6");
        assertTrue(beta6.startsWith("fd00:61::"), beta6);
        assertTrue(ctrnet.ok("exec", "alpha", "--", "ip", "-6", "addr", "show", "dev", "eth0").contains("fd00:61::a/64"));
        assertTrue(ctrnet.ok("exec", "alpha", "--", "ip", "-6", "route", "show", "default").contains("via fd00:61::1"),
                "an IPv6 default route");
        assertTrue(ctrnet.ok("exec", "alpha", "--", "ip", "route", "show", "default").contains("via 10.61.0.1"),
                "and the IPv4 one");

        assertTrue(reaches6("alpha", beta6), "containers reach each other over IPv6");
        assertTrue(reaches6("alpha", "fd00:61::1"), "and their IPv6 gateway");
        assertTrue(reaches6("alpha", TestHost.OUTSIDE_IP6), "and the outside world over IPv6");
        Process server = Shell.background(TestHost.outside("socat", "-t" + Probe.PATIENCE, "TCP6-LISTEN:7301,reuseaddr,fork",
                "SYSTEM:echo $SOCAT_PEERADDR"));
        try {
            TestHost.awaitListening(7301);
            // socat writes the peer in brackets and in full: [2001:0db8:0100:0000:…]
            String seen = TestHost.tcp(ctrnet.exec("alpha"), TestHost.OUTSIDE_IP6, 7301).replaceAll("[\\[\\]]", "");
            assertEquals(InetAddress.getByName(TestHost.HOST_IP6), InetAddress.getByName(seen),
                    "the outside world sees the host's address");
        } finally {
            server.destroyForcibly();
        }

        ctrnet.ok("rm", "-f", "alpha", "beta");
        ctrnet.ok("network", "rm", "dual");
        assertNotEquals(0, Shell.run(List.of("ip", "link", "show", bridge)).exit(), "the bridge is gone");
        assertFalse(Shell.run(List.of("ip", "-6", "addr")).ok().out().contains("fd00:61:"), "no address is left");
        assertFalse(Shell.run(List.of("ip", "-6", "route")).ok().out().contains("fd00:61:"), "no route is left");
        String rules = rules();
        assertFalse(rules.contains("fd00:61:") || rules.contains(bridge), "no rule is left:\n" + rules);
        assertTrue(Eventually.holds(() -> Shell.run(List.of("pgrep", "-f", "sleep 3061")).exit() != 0),
                "no process is left");
    }

    @Test
    void theIpv6PoolGivesEachRootOneUniqueLocalSlash48AndFreeSlash64s() {
        ctrnet.ok("network", "create", "--ipv6", "pooled6");
        ctrnet.ok("network", "create", "--ipv6", "pooled6b");
        String first = (String) Json.object(ctrnet.ok("network", "inspect", "pooled6")).get("subnet6");
        String second = (String) Json.object(ctrnet.ok("network", "inspect", "pooled6b")).get("subnet6");
        assertTrue(first.matches("fd[0-9a-f]{2}:[0-9a-f]{1,4}:[0-9a-f]{1,4}:1::/64"), first);
        assertEquals(first.replace(":1::/64", ":2::/64"), second, "the next /64 of the same /48");
        ctrnet.ok("network", "rm", "pooled6", "pooled6b");
        ctrnet.ok("network", "create", "--ipv6", "pooled6");
        assertEquals(first, Json.object(ctrnet.ok("network", "inspect", "pooled6")).get("subnet6"), "the same again");
        ctrnet.ok("network", "rm", "pooled6");
    }

    @Test
    void publishedPortsAnswerOverIpv6AndBothFamiliesAreIsolated() {
        ctrnet.ok("network", "create", "--ipv6", "--subnet", "10.64.0.0/24", "--subnet", "fd00:64::/64", "pub6");
        ctrnet.ok("network", "create", "--ipv6", "--subnet", "10.65.0.0/24", "--subnet", "fd00:65::/64", "other6");
        ctrnet.ok("network", "create", "--ipv6", "--internal", "--subnet", "10.66.0.0/24", "--subnet", "fd00:66::/64",
                "vault6");
        ctrnet.ok("run", "-d", "--name", "web6", "--network", "pub6", "-p", "8080:80", "-p", "[::1]:8081:80", "--",
                "socat", "-t" + Probe.PATIENCE, "TCP6-LISTEN:80,reuseaddr,fork", "SYSTEM:echo web6");
        assertEquals("80/tcp -> 0.0.0.0:8080\n80/tcp -> [::1]:8081\n", ctrnet.ok("port", "web6"));
        ctrnet.ok("run", "-d", "--name", "stranger", "--network", "other6", "--", "sleep", "3064");
        ctrnet.ok("run", "-d", "--name", "vault1", "--network", "vault6", "--", "sleep", "3064");
        ctrnet.ok("run", "-d", "--name", "vault2", "--network", "vault6", "--", "sleep", "3064");
        ctrnet.awaitListening("web6", 80);
        String web6 = (String) ctrnet.inspect("web6").get("ip6");

        assertEquals("web6", TestHost.tcp(TestHost.outside(), TestHost.HOST_IP6, 8080), "over IPv6 from outside");
        assertEquals("web6", TestHost.tcp(TestHost.outside(), TestHost.HOST_IP, 8080), "and over IPv4");
        assertEquals("web6", TestHost.tcp(List.of(), TestHost.HOST_IP6, 8080), "from the host via its IPv6 address");
        assertEquals("web6", TestHost.tcp(List.of(), "fd00:64::1", 8080), "from the host via its gateway address");
        assertEquals("web6", TestHost.tcp(ctrnet.exec("web6"), TestHost.HOST_IP6, 8080), "hairpin over IPv6");
        assertEquals("web6", TestHost.tcp(List.of(), "::1", 8080), "from the host on [::1], through its proxy");
        List<String> proxy = List.of("pgrep", "-f", "^socat TCP6-LISTEN:8080,bind=\\[::1\\]");
        assertEquals(0, Shell.run(proxy).exit(), "the proxy runs");

        assertNotEquals(0, ping6("stranger", web6), "another network cannot reach it over IPv6");
        assertEquals("", TestHost.tcp(ctrnet.exec("stranger"), web6, 80), "nor its port");
        assertTrue(reaches6("vault1", (String) ctrnet.inspect("vault2").get("ip6")), "internal containers meet");
        assertNotEquals(0, ping6("vault1", TestHost.OUTSIDE_IP6), "an internal network reaches nothing outside");
        assertNotEquals(0, ping6("vault1", web6), "nor other networks");

        ctrnet.ok("rm", "-f", "web6");
        assertEquals("", TestHost.tcp(TestHost.outside(), TestHost.HOST_IP6, 8080), "rm unpublishes");
        assertEquals("", Shell.run(List.of("ss", "-Hltn", "src", "[::1]:8080")).out().trim(), "nothing listens on [::1]");
        assertEquals(1, Shell.run(proxy).exit(), "no proxy is left");
        ctrnet.ok("rm", "-f", "stranger", "vault1", "vault2");
        ctrnet.ok("network", "rm", "pub6", "other6", "vault6");
        assertFalse(rules().contains("fd00:64:"), "no rule is left:\n" + rules());
    }

    @Test
    void badIpv6InputEndsInOneCleanLineAndLeavesNothing() {
        assertRefused("ctrnet: prefix length 129 is out of range for fd00::",
                "network", "create", "--ipv6", "--subnet", "fd00::/129", "bad6");
        assertRefused("ctrnet: IPv6 subnet fd00:67::/80 is smaller than a /64: give a /64 or larger, such as fd00:1::/64",
                "network", "create", "--ipv6", "--subnet", "fd00:67::/80", "bad6");
        assertRefused("ctrnet: an IPv6 subnet or gateway needs --ipv6: add it to make the network dual-stack",
                "network", "create", "--subnet", "fd00:67::/64", "bad6");
        assertRefused("ctrnet: subnet fe80::/64 overlaps fe80::/10 (link-local, which every interface has of its own):"
                + " choose a unique local range such as fd00:1::/64", "network", "create", "--ipv6", "--subnet",
                "fe80::/64", "bad6");
        assertNotEquals(0, ctrnet.run("network", "inspect", "bad6").exit(), "no network was made");

        ctrnet.ok("network", "create", "--ipv6", "--subnet", "10.67.0.0/24", "--subnet", "fd00:67::/64", "good6");
        ctrnet.ok("network", "create", "--subnet", "10.68.0.0/24", "four");
        assertRefused("ctrnet: 'zz::1' is not an IP address",
                "run", "-d", "--name", "bad", "--network", "good6", "--ip6", "zz::1", "--", "sleep", "1");
        assertRefused("ctrnet: address fd00:99::5 is outside network good6's subnet fd00:67::/64",
                "run", "-d", "--name", "bad", "--network", "good6", "--ip6", "fd00:99::5", "--", "sleep", "1");
        assertRefused("ctrnet: --ip6 needs a network with IPv6; network four has none (create one with --ipv6)",
                "run", "-d", "--name", "bad", "--network", "four", "--ip6", "fd00:67::5", "--", "sleep", "1");
        assertEquals("ctrnet: no such container: bad", ctrnet.run("inspect", "bad").err().trim(), "nothing left");
        assertEquals(List.of(), Json.object(ctrnet.ok("network", "inspect", "good6")).get("containers"));
        ctrnet.ok("network", "rm", "good6", "four");
    }

    private void assertRefused(String line, String... args) {
        var refused = ctrnet.run(args);
        assertNotEquals(0, refused.exit(), String.join(" ", args));
        assertEquals(line + "\n", refused.err(), String.join(" ", args));
    }

    /** Whether {@code address} answers a ping over IPv6 from {@code container}, within the probes' patience. */
    private boolean reaches6(String container, String address) {
        return ctrnet.run("exec", container, "--", "ping", "-6", "-c1", "-w" + Probe.PATIENCE, address).exit() == 0;
    }

    private int ping6(String container, String address) {
        return ctrnet.run("exec", container, "--", "ping", "-6", "-c1", "-W2", address).exit();
    }
}
