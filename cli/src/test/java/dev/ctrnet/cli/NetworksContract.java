package dev.ctrnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.testing.Privileged;
import dev.ctrnet.api.testing.Probe;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 4's acceptance through the real CLI, once per NAT backend: user networks, published ports
 * from everywhere they must work (and not from where they must not), isolation, internal networks,
 * repair after a flush, and switching backends.
 */
@Privileged
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class NetworksContract {
    /** A second address of the host on the uplink, where HOST_IP-bound ports must not answer. */
    static final String OTHER_HOST_IP = "198.51.100.3";

    private final String backend;
    private final Ctrnet ctrnet;

    NetworksContract(String backend, String root) {
        this.backend = backend;
        this.ctrnet = new Ctrnet(Path.of(root), "--nat", backend);
    }

    /** What the backend's rules look like, read with the backend's own tool. */
    abstract String rules();

    /** Flushes the packet filter as an administrator or a firewall restart would. */
    abstract void flushFirewall();

    @BeforeAll
    void host() {
        TestHost.ensure();
        if (!Shell.run(List.of("ip", "-o", "addr", "show", "uplink0")).ok().out().contains(OTHER_HOST_IP)) {
            Shell.run(List.of("ip", "addr", "add", OTHER_HOST_IP + "/24", "dev", "uplink0")).ok();
        }
    }

    @AfterAll
    void cleanUp() {
        ctrnet.removeEverything();
    }

    @Test
    void networksAreCreatedListedInspectedAndRemoved() {
        String id = ctrnet.ok("network", "create", "--subnet", "10.31.0.0/24", "--opt", "mtu=1400", "lifecycle").trim();
        assertEquals(64, id.length());
        Map<String, Object> n = Json.object(ctrnet.ok("network", "inspect", "lifecycle"));
        assertEquals("bridge", n.get("driver"));
        assertEquals("10.31.0.0/24", n.get("subnet"));
        assertEquals("10.31.0.1", n.get("gateway"));
        assertEquals(false, n.get("internal"));
        String bridge = (String) n.get("bridge");
        var addr = Json.array(Shell.run(List.of("ip", "-j", "addr", "show", bridge)).ok().out());
        assertTrue(addr.toString().contains("10.31.0.1"), addr.toString());
        assertTrue(Json.array(ctrnet.ok("network", "ls", "--format", "json")).stream()
                .anyMatch(x -> x.get("name").equals("lifecycle")));
        ctrnet.ok("run", "-d", "--name", "on-lifecycle", "--network", "lifecycle", "--", "sleep", "300");
        assertEquals("1400", ctrnet.ok("exec", "on-lifecycle", "--", "cat", "/sys/class/net/eth0/mtu").trim());
        assertEquals(List.of("on-lifecycle"), Json.object(ctrnet.ok("network", "inspect", "lifecycle")).get("containers"));
        var refused = ctrnet.run("network", "rm", "lifecycle");
        assertEquals("ctrnet: network lifecycle has containers attached (on-lifecycle): remove them first", refused.err().trim());
        ctrnet.ok("rm", "-f", "on-lifecycle");
        ctrnet.ok("network", "rm", "lifecycle");
        assertNotEquals(0, Shell.run(List.of("ip", "link", "show", bridge)).exit(), "the bridge is gone");
        assertFalse(rules().contains(bridge), "no rule mentions the removed bridge:\n" + rules());
    }

    /**
     * A bridge left to itself takes the lowest MAC of its ports, so containers coming and going would move
     * the gateway's MAC under the others, which lose the gateway until their neighbour entry expires.
     */
    @Test
    void theGatewaysMacStaysWhileContainersComeAndGo() {
        ctrnet.ok("network", "create", "--subnet", "10.30.0.0/24", "steady");
        String bridge = (String) Json.object(ctrnet.ok("network", "inspect", "steady")).get("bridge");
        ctrnet.ok("run", "-d", "--name", "steady1", "--network", "steady", "--", "sleep", "300");
        String mac = macOf(bridge);
        assertEquals("02:42:0a:1e:00:01", mac, "derived from the gateway, 10.30.0.1");
        for (int i = 2; i <= 4; i++) {
            ctrnet.ok("run", "-d", "--name", "steady" + i, "--network", "steady", "--", "sleep", "300");
        }
        ctrnet.ok("rm", "-f", "steady2", "steady3");
        assertEquals(mac, macOf(bridge));
        assertTrue(ctrnet.reaches("steady1", "10.30.0.1"), "the gateway still answers at the MAC the container knows");
        ctrnet.ok("rm", "-f", "steady1", "steady4");
        ctrnet.ok("network", "rm", "steady");
    }

    private static String macOf(String link) {
        return (String) Json.array(Shell.run(List.of("ip", "-j", "link", "show", link)).ok().out()).get(0).get("address");
    }

    @Test
    void overlappingSubnetsAreRefusedAndThePoolPicksAFreeOne() {
        ctrnet.ok("network", "create", "--subnet", "10.32.0.0/16", "wide");
        var overlap = ctrnet.run("network", "create", "--subnet", "10.32.5.0/24", "narrow");
        assertEquals("ctrnet: subnet 10.32.5.0/24 overlaps network wide (10.32.0.0/16); choose another --subnet",
                overlap.err().trim());
        var hostRoute = ctrnet.run("network", "create", "--subnet", "198.51.100.0/25", "clash");
        assertTrue(hostRoute.err().startsWith("ctrnet: subnet 198.51.100.0/25 overlaps the host's route to 198.51.100.0/24"),
                hostRoute.err());
        var malformed = ctrnet.run("network", "create", "--subnet", "10.33.0.0/33", "bad");
        assertTrue(malformed.err().startsWith("ctrnet: prefix length 33 is out of range"), malformed.err());
        String pooled = ctrnet.ok("network", "create", "pooled").trim();
        assertFalse(pooled.isEmpty());
        String subnet = (String) Json.object(ctrnet.ok("network", "inspect", "pooled")).get("subnet");
        String defaultSubnet = (String) Json.object(ctrnet.ok("network", "inspect", "bridge")).get("subnet");
        assertNotEquals(defaultSubnet, subnet);
        for (String name : List.of("narrow", "clash", "bad")) {
            assertNotEquals(0, ctrnet.run("network", "inspect", name).exit(), name + " left no record");
        }
        ctrnet.ok("network", "rm", "wide", "pooled");
    }

    @Test
    void publishedPortsAnswerFromOutsideFromTheHostAndByHairpin() {
        ctrnet.ok("network", "create", "--subnet", "10.34.0.0/24", "pub");
        ctrnet.ok("run", "-d", "--name", "web", "--network", "pub", "-p", "8080:80", "-p", "5353:53/udp",
                "-p", TestHost.HOST_IP + ":9090:90", "--", "sh", "-c",
                "socat -t" + Probe.PATIENCE + " TCP-LISTEN:80,reuseaddr,fork SYSTEM:'echo web-tcp' & "
                        + "socat -t" + Probe.PATIENCE + " UDP-RECVFROM:53,reuseaddr,fork SYSTEM:'echo web-udp' & "
                        + "socat -t" + Probe.PATIENCE + " TCP-LISTEN:90,reuseaddr,fork SYSTEM:'echo web-bound' & wait");
        ctrnet.ok("run", "-d", "--name", "peer", "--network", "pub", "--", "sleep", "300");
        ctrnet.awaitListening("web", 80);
        assertEquals("80/tcp -> 0.0.0.0:8080\n53/udp -> 0.0.0.0:5353\n90/tcp -> 198.51.100.1:9090\n", ctrnet.ok("port", "web"));

        assertEquals("web-tcp", TestHost.tcp(TestHost.outside(), TestHost.HOST_IP, 8080), "from another host");
        assertEquals("web-tcp", TestHost.tcp(TestHost.outside(), OTHER_HOST_IP, 8080), "from another host, other address");
        assertEquals("web-udp", Probe.udp(TestHost.outside(), TestHost.HOST_IP, 5353), "UDP from another host");
        assertEquals("web-tcp", TestHost.tcp(List.of(), TestHost.HOST_IP, 8080), "from the host via its address");
        assertEquals("web-tcp", TestHost.tcp(List.of(), "127.0.0.1", 8080), "from the host via 127.0.0.1");
        assertEquals("web-tcp", TestHost.tcp(ctrnet.exec("peer"), TestHost.HOST_IP, 8080), "hairpin from a peer");
        assertEquals("web-tcp", TestHost.tcp(ctrnet.exec("web"), TestHost.HOST_IP, 8080), "hairpin from the container itself");
        assertEquals("web-bound", TestHost.tcp(TestHost.outside(), TestHost.HOST_IP, 9090), "bound to its address");
        assertEquals("", TestHost.tcp(TestHost.outside(), OTHER_HOST_IP, 9090), "not on the host's other address");

        var taken = ctrnet.run("run", "-d", "--name", "web2", "--network", "pub", "-p", "8080:80", "--", "sleep", "300");
        assertEquals("ctrnet: port 8080/tcp on 0.0.0.0 is already published by container web", taken.err().trim());
        Process squatter = Shell.background(List.of("socat", "TCP-LISTEN:7777,reuseaddr", "STDOUT"));
        try {
            TestHost.awaitListeningOnHost(7777);
            var busy = ctrnet.run("run", "-d", "--name", "web3", "--network", "pub", "-p", "7777:80", "--", "sleep", "300");
            assertTrue(busy.err().startsWith("ctrnet: port 7777/tcp on 0.0.0.0 is already in use on the host"), busy.err());
        } finally {
            squatter.destroyForcibly();
        }
        for (String refused : List.of("web2", "web3")) {
            assertEquals("ctrnet: no such container: " + refused, ctrnet.run("inspect", refused).err().trim(),
                    "a refused container leaves nothing behind");
        }
        assertEquals(List.of("peer", "web"), Json.object(ctrnet.ok("network", "inspect", "pub")).get("containers"));

        ctrnet.ok("rm", "-f", "web");
        assertEquals("", TestHost.tcp(TestHost.outside(), TestHost.HOST_IP, 8080), "rm unpublishes");
        ctrnet.ok("rm", "-f", "peer");
        ctrnet.ok("network", "rm", "pub");
    }

    @Test
    void userNetworksAreIsolatedAndInternalOnesReachNothingOutside() {
        ctrnet.ok("network", "create", "--subnet", "10.35.0.0/24", "red");
        ctrnet.ok("network", "create", "--subnet", "10.36.0.0/24", "blue");
        ctrnet.ok("network", "create", "--subnet", "10.37.0.0/24", "--internal", "vault");
        ctrnet.ok("run", "-d", "--name", "red1", "--network", "red", "--", "sleep", "300");
        ctrnet.ok("run", "-d", "--name", "blue1", "--network", "blue", "--", "sleep", "300");
        ctrnet.ok("run", "-d", "--name", "vault1", "--network", "vault", "--", "sleep", "300");
        ctrnet.ok("run", "-d", "--name", "vault2", "--network", "vault", "--", "sleep", "300");
        String red = ctrnet.ip("red1");
        String blue = ctrnet.ip("blue1");
        assertTrue(ctrnet.reaches("red1", (String) ctrnet.inspect("red1").get("gateway")), "a container reaches its gateway");
        assertNotEquals(0, ctrnet.ping("red1", blue), "red cannot reach blue");
        assertNotEquals(0, ctrnet.ping("blue1", red), "blue cannot reach red");
        assertTrue(ctrnet.reaches("red1", TestHost.OUTSIDE_IP), "a normal network reaches the outside world");
        assertTrue(ctrnet.reaches("vault1", ctrnet.ip("vault2")), "internal containers reach each other");
        assertNotEquals(0, ctrnet.ping("vault1", TestHost.OUTSIDE_IP), "an internal network reaches nothing outside");
        assertNotEquals(0, ctrnet.ping("vault1", red), "nor other networks");
        ctrnet.ok("rm", "-f", "red1", "blue1", "vault1", "vault2");
        ctrnet.ok("network", "rm", "red", "blue", "vault");
    }

    @Test
    void iccOffIsolatesContainersOfOneNetworkFromEachOtherButNotFromTheirGateway() {
        ctrnet.ok("network", "create", "--subnet", "10.46.0.0/24", "--opt", "icc=false", "loners");
        ctrnet.ok("run", "-d", "--name", "loner1", "--network", "loners", "--", "sleep", "300");
        ctrnet.ok("run", "-d", "--name", "loner2", "--network", "loners", "--", "sleep", "300");
        assertNotEquals(0, ctrnet.ping("loner1", ctrnet.ip("loner2")), "icc=false: no traffic between its containers");
        assertTrue(ctrnet.reaches("loner1", "10.46.0.1"), "the gateway is still reachable");
        assertTrue(ctrnet.reaches("loner1", TestHost.OUTSIDE_IP), "and the outside world");
        ctrnet.ok("rm", "-f", "loner1", "loner2");
        ctrnet.ok("network", "rm", "loners");
    }

    @Test
    void masqueradeOffRoutesWithoutTranslation() {
        ctrnet.ok("network", "create", "--subnet", "10.47.0.0/24", "--opt", "masquerade=false", "routed");
        ctrnet.ok("run", "-d", "--name", "visible", "--network", "routed", "--", "sleep", "300");
        String own = ctrnet.ip("visible");
        // the outside world needs a route back to a network that is not masqueraded
        Shell.run(TestHost.outside("ip", "route", "replace", "10.47.0.0/24", "via", TestHost.HOST_IP)).ok();
        try {
            assertEquals(own, TestHost.sourceSeenOutside(ctrnet.exec("visible"), 7200),
                    "the outside world sees the container's own address");
        } finally {
            Shell.run(TestHost.outside("ip", "route", "del", "10.47.0.0/24"));
        }
        ctrnet.ok("rm", "-f", "visible");
        ctrnet.ok("network", "rm", "routed");
    }

    @Test
    void reloadRepairsAFlushedFirewall() {
        ctrnet.ok("network", "create", "--subnet", "10.38.0.0/24", "repair");
        runEchoServer("fixme", "repair", 8181);
        assertEquals("fixme", TestHost.tcp(TestHost.outside(), TestHost.HOST_IP, 8181));
        flushFirewall();
        assertEquals("", TestHost.tcp(TestHost.outside(), TestHost.HOST_IP, 8181), "the flush took the port away");
        ctrnet.ok("network", "reload");
        assertEquals("fixme", TestHost.tcp(TestHost.outside(), TestHost.HOST_IP, 8181), "reload brought it back");
        ctrnet.ok("rm", "-f", "fixme");
        ctrnet.ok("network", "rm", "repair");
    }

    /** A port published after a flush answers, and so do the ports published before it: no reload needed. */
    @Test
    void aPortPublishedAfterAFlushAnswersWithTheOthers() {
        ctrnet.ok("network", "create", "--subnet", "10.48.0.0/24", "reflushed");
        runEchoServer("before-flush", "reflushed", 8484);
        assertEquals("before-flush", TestHost.tcp(TestHost.outside(), TestHost.HOST_IP, 8484));
        flushFirewall();
        runEchoServer("after-flush", "reflushed", 8485);
        assertEquals("after-flush", TestHost.tcp(TestHost.outside(), TestHost.HOST_IP, 8485), "the new port answers");
        assertEquals("before-flush", TestHost.tcp(TestHost.outside(), TestHost.HOST_IP, 8484), "and the old one again");
        ctrnet.ok("rm", "-f", "before-flush", "after-flush");
        ctrnet.ok("network", "rm", "reflushed");
    }

    /** A bridge deleted by hand is made again by reload, with the containers' cables on it as before. */
    @Test
    void reloadPutsTheContainersBackOnADeletedBridge() {
        ctrnet.ok("network", "create", "--subnet", "10.49.0.0/24", "rebuilt");
        runEchoServer("rebuilt-web", "rebuilt", 8486);
        String bridge = (String) Json.object(ctrnet.ok("network", "inspect", "rebuilt")).get("bridge");
        Shell.run(List.of("ip", "link", "del", bridge)).ok();
        assertEquals("", TestHost.tcp(TestHost.outside(), TestHost.HOST_IP, 8486), "the port went with the bridge");
        ctrnet.ok("network", "reload");
        assertEquals(1, Json.array(Shell.run(List.of("ip", "-j", "link", "show", "master", bridge)).ok().out()).size(),
                "the container's cable is on the bridge again");
        assertEquals("rebuilt-web", TestHost.tcp(TestHost.outside(), TestHost.HOST_IP, 8486), "from another host");
        assertEquals("rebuilt-web", TestHost.tcp(ctrnet.exec("rebuilt-web"), TestHost.HOST_IP, 8486),
                "hairpin from the container itself");
        ctrnet.ok("rm", "-f", "rebuilt-web");
        ctrnet.ok("network", "rm", "rebuilt");
    }

    @Test
    void switchingTheBackendMovesTheRules() {
        String other = backend.equals("nftables") ? "iptables" : "nftables";
        Ctrnet switched = new Ctrnet(ctrnet.root(), "--nat", other);
        ctrnet.ok("network", "create", "--subnet", "10.39.0.0/24", "moving");
        ctrnet.ok("run", "-d", "--name", "mover", "--network", "moving", "-p", "8282:80", "--", "socat",
                "-t" + Probe.PATIENCE, "TCP-LISTEN:80,reuseaddr,fork", "SYSTEM:echo moved");
        ctrnet.awaitListening("mover", 80);
        switched.ok("network", "reload");
        assertFalse(rules().contains("8282"), "the old backend's rules are gone:\n" + rules());
        assertEquals("moved", TestHost.tcp(TestHost.outside(), TestHost.HOST_IP, 8282), "the new backend publishes the port");
        ctrnet.ok("network", "reload");
        assertTrue(rules().contains("8282"), "back on " + backend + ":\n" + rules());
        assertEquals("moved", TestHost.tcp(TestHost.outside(), TestHost.HOST_IP, 8282));
        ctrnet.ok("rm", "-f", "mover");
        ctrnet.ok("network", "rm", "moving");
    }

    /**
     * Found by the random sequences (issue 10): a container disconnected from its only network no longer publishes
     * its port, which another container may then take; connecting the first again must not publish the port twice
     * (iptables kept two DNAT rules, nftables gave the port to the reconnected one), as Docker refuses it too.
     */
    @Test
    void aContainerWhosePortWasTakenWhileItHadNoNetworkIsNotConnectedAgain() {
        ctrnet.ok("run", "-d", "--name", "first-owner", "-p", "8047:80", "--", "sleep", "300");
        ctrnet.ok("network", "disconnect", "bridge", "first-owner");
        ctrnet.ok("run", "-d", "--name", "new-owner", "-p", "8047:80", "--", "sleep", "300");
        String owner = ctrnet.ip("new-owner");
        var refused = ctrnet.run("network", "connect", "bridge", "first-owner").refused();
        assertEquals("ctrnet: port 8047/tcp on 0.0.0.0 is already published by container new-owner", refused.err().trim());
        assertEquals(List.of(), ctrnet.inspect("first-owner").get("networks"), "nothing was attached");
        assertEquals(1, rules().split("8047", -1).length - 1, "one rule publishes the port:\n" + rules());
        assertTrue(rules().contains(owner), "the port leads to its owner " + owner + ":\n" + rules());
        ctrnet.ok("rm", "-f", "new-owner");
        ctrnet.ok("network", "connect", "bridge", "first-owner");
        assertEquals(List.of("80/tcp -> 0.0.0.0:8047"), ctrnet.ok("port", "first-owner").lines().toList(),
                "once the port is free, it is first-owner's again");
        ctrnet.ok("rm", "-f", "first-owner");
    }

    @Test
    void connectGivesAContainerAnotherInterfaceAndDisconnectTakesItAway() {
        ctrnet.ok("network", "create", "--subnet", "10.42.0.0/24", "first");
        ctrnet.ok("network", "create", "--subnet", "10.43.0.0/24", "second");
        ctrnet.ok("run", "-d", "--name", "multi", "--network", "first", "--", "sleep", "300");
        ctrnet.ok("run", "-d", "--name", "other", "--network", "second", "--", "sleep", "300");
        String otherIp = ctrnet.ip("other");
        assertNotEquals(0, ctrnet.ping("multi", otherIp), "not connected yet: isolated");
        ctrnet.ok("network", "connect", "--ip", "10.43.0.50", "second", "multi");
        assertTrue(ctrnet.reaches("multi", otherIp), "connected: reaches the other network's container");
        var networks = (List<?>) ctrnet.inspect("multi").get("networks");
        assertEquals(2, networks.size());
        @SuppressWarnings("unchecked")
        Map<String, Object> added = (Map<String, Object>) networks.get(1);
        assertEquals("second", added.get("network"));
        assertEquals("eth1", added.get("interface"));
        assertEquals("10.43.0.50", added.get("ip"));
        String routes = ctrnet.ok("exec", "multi", "--", "ip", "route");
        assertTrue(routes.contains("default via 10.42.0.1"), "the default route stays on the first network:\n" + routes);
        assertEquals(List.of("multi", "other"), Json.object(ctrnet.ok("network", "inspect", "second")).get("containers"));
        var again = ctrnet.run("network", "connect", "second", "multi");
        assertEquals("ctrnet: multi is already connected to network second", again.err().trim());
        ctrnet.ok("network", "disconnect", "second", "multi");
        assertNotEquals(0, ctrnet.run("exec", "multi", "--", "ip", "link", "show", "eth1").exit(), "eth1 is gone");
        assertNotEquals(0, ctrnet.ping("multi", otherIp));
        assertEquals(List.of("other"), Json.object(ctrnet.ok("network", "inspect", "second")).get("containers"));
        ctrnet.ok("rm", "-f", "multi", "other");
        ctrnet.ok("network", "rm", "first", "second");
    }

    @Test
    void connectByPidGivesAnUnconnectedProcessTheOutsideWorld() throws Exception {
        ctrnet.ok("network", "create", "--subnet", "10.44.0.0/24", "bypid");
        Process loner = Shell.background(List.of("unshare", "--net", "sleep", "300"));
        try {
            String pid = Long.toString(loner.pid());
            awaitOwnNetworkNamespace(loner.pid());
            ctrnet.ok("network", "connect", "bypid", "--pid", pid);
            String routes = Shell.run(List.of("nsenter", "--target", pid, "--net", "ip", "route")).ok().out();
            assertTrue(routes.contains("default via 10.44.0.1 dev eth0"), "a default route through it:\n" + routes);
            assertEquals(TestHost.HOST_IP, TestHost.sourceSeenOutside(List.of("nsenter", "--target", pid, "--net"), 7100),
                    "reaches the outside world, masqueraded");
            var refused = ctrnet.run("network", "rm", "bypid");
            assertEquals("ctrnet: network bypid has containers attached (pid:" + pid + "): remove them first",
                    refused.err().trim());
            ctrnet.ok("network", "disconnect", "bypid", "--pid", pid);
            String links = Shell.run(List.of("nsenter", "--target", pid, "--net", "ip", "-o", "link")).ok().out();
            assertEquals(1, links.lines().count(), "only loopback is left:\n" + links);
            var host = ctrnet.run("network", "connect", "bypid", "--pid", Long.toString(ProcessHandle.current().pid()));
            assertTrue(host.err().startsWith("ctrnet: process " + ProcessHandle.current().pid()
                    + " is in the host's network namespace"), host.err());
        } finally {
            loner.destroyForcibly();
        }
        ctrnet.ok("network", "rm", "bypid");
    }

    private static void awaitOwnNetworkNamespace(long pid) throws Exception {
        String host = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/ns/net")).toString();
        boolean own = Eventually.holds(() -> {
            try {
                return !java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/" + pid + "/ns/net")).toString()
                        .equals(host);
            } catch (java.io.IOException e) {
                return false; // not there yet
            }
        });
        if (!own) {
            throw new AssertionError("process " + pid + " never got its own network namespace");
        }
    }

    @Test
    void foreignRulesSurviveAFullLifecycle() {
        Shell.sh("printf 'table inet foreign {\\n chain input {\\n type filter hook input priority 0; policy accept;\\n"
                + " tcp dport 2222 counter accept\\n }\\n}\\n' | nft -f -").ok();
        Shell.run(List.of("iptables", "-N", "FOREIGN")).ok();
        Shell.run(List.of("iptables", "-A", "FOREIGN", "-p", "tcp", "--dport", "2223", "-j", "ACCEPT")).ok();
        Shell.run(List.of("iptables", "-I", "FORWARD", "1", "-j", "FOREIGN")).ok();
        String nftBefore = Shell.run(List.of("nft", "list", "table", "inet", "foreign")).ok().out();
        String iptBefore = foreignIptables();
        try {
            ctrnet.ok("network", "create", "--subnet", "10.45.0.0/24", "visitor");
            ctrnet.ok("run", "-d", "--name", "guest", "--network", "visitor", "-p", "8383:80", "--", "sleep", "300");
            ctrnet.ok("network", "reload");
            ctrnet.ok("rm", "-f", "guest");
            ctrnet.ok("network", "rm", "visitor");
            assertEquals(nftBefore, Shell.run(List.of("nft", "list", "table", "inet", "foreign")).ok().out());
            assertEquals(iptBefore, foreignIptables());
        } finally {
            Shell.run(List.of("nft", "delete", "table", "inet", "foreign"));
            Shell.run(List.of("iptables", "-D", "FORWARD", "-j", "FOREIGN"));
            Shell.run(List.of("iptables", "-F", "FOREIGN"));
            Shell.run(List.of("iptables", "-X", "FOREIGN"));
        }
    }

    /** Bridge names such as a VLAN's may hold a dot, which must not be taken for a sysctl path separator. */
    @Test
    void aBridgeWhoseNameHoldsADotWorks() {
        String bridge = backend.equals("nftables") ? "up0.5" : "up0.6";
        ctrnet.ok("network", "create", "--subnet", "10.65.0.0/24", "--opt", "bridge=" + bridge, "dotted");
        try {
            assertEquals(bridge, Json.object(ctrnet.ok("network", "inspect", "dotted")).get("bridge"));
            ctrnet.ok("run", "-d", "--name", "dotted-web", "--network", "dotted", "-p", "127.0.0.1:8095:80", "--",
                    "socat", "-t" + Probe.PATIENCE, "TCP-LISTEN:80,reuseaddr,fork", "SYSTEM:echo dotted-web");
            ctrnet.awaitListening("dotted-web", 80);
            assertTrue(ctrnet.reaches("dotted-web", "10.65.0.1"), "the gateway answers");
            // 127.0.0.1-published ports need the bridge's own route_localnet
            assertEquals("dotted-web", TestHost.tcp(List.of(), "127.0.0.1", 8095), "from the host via 127.0.0.1");
        } finally {
            ctrnet.run("rm", "-f", "dotted-web");
            ctrnet.ok("network", "rm", "dotted");
        }
        assertNotEquals(0, Shell.run(List.of("ip", "link", "show", bridge)).exit(), "the bridge is gone");
    }

    /** Runs container {@code name} on {@code network}, answering its name on TCP port 80, published as {@code hostPort}. */
    private void runEchoServer(String name, String network, int hostPort) {
        ctrnet.ok("run", "-d", "--name", name, "--network", network, "-p", hostPort + ":80", "--", "socat",
                "-t" + Probe.PATIENCE, "TCP-LISTEN:80,reuseaddr,fork", "SYSTEM:echo " + name);
        ctrnet.awaitListening(name, 80);
    }

    /** The foreign chain and the jump to it, as iptables-save prints them (counters left out). */
    private static String foreignIptables() {
        return Shell.run(List.of("iptables-save", "-t", "filter")).ok().out().lines()
                .filter(l -> l.contains("FOREIGN"))
                .map(l -> l.replaceAll("\\[\\d+:\\d+\\]", ""))
                .reduce("", (a, b) -> a + b + "\n");
    }
}
