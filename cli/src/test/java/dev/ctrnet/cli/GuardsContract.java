package dev.ctrnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.testing.Privileged;
import dev.ctrnet.api.testing.Probe;
import dev.ctrnet.cli.SynProbe.Answer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 8's five attacks through the real CLI, once per NAT backend, each beside a control that shows
 * the same probe or client does get an answer where it should. The attacker crafts its frames itself
 * ({@link SynProbe}): from the outside world's namespace on the host's uplink, addressed to the host's
 * MAC, and from inside a container, addressed to its gateway's MAC.
 */
@Privileged
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GuardsContract {
    private static final String SUBNET = "10.51.0.0/24";
    /** target's port 81, published on 127.0.0.1 only. */
    private static final int LOOPBACK_PUBLISHED = 7401;
    /** target's port 82, published on every address. */
    private static final int PUBLISHED = 7403;
    /** A host service bound to every address. */
    private static final int HOST_ANY = 7410;
    /** A host service bound to 127.0.0.1 only, as databases and admin endpoints often are. */
    private static final int HOST_LOOPBACK = 7411;
    /** A service in the outside world. */
    private static final int OUTSIDE = 7420;

    private final String backend;
    private final Ctrnet ctrnet;
    private final List<Process> services = new ArrayList<>();
    private String targetIp;
    private Map<String, Object> prober;
    private String gatewayMac;

    GuardsContract(String backend, String root) {
        this.backend = backend;
        this.ctrnet = new Ctrnet(Path.of(root), "--nat", backend);
    }

    @BeforeAll
    void hostWithServicesAndContainers() {
        TestHost.ensure();
        services.add(Shell.background(List.of("socat", "-t" + Probe.PATIENCE, "TCP-LISTEN:" + HOST_ANY + ",reuseaddr,fork", "SYSTEM:echo host-any")));
        services.add(Shell.background(List.of("socat", "-t" + Probe.PATIENCE, "TCP-LISTEN:" + HOST_LOOPBACK + ",bind=127.0.0.1,reuseaddr,fork",
                "SYSTEM:echo host-loopback")));
        services.add(Shell.background(TestHost.outside("socat", "-t" + Probe.PATIENCE, "TCP-LISTEN:" + OUTSIDE + ",reuseaddr,fork",
                "SYSTEM:echo outside")));
        TestHost.awaitListeningOnHost(HOST_ANY);
        TestHost.awaitListeningOnHost(HOST_LOOPBACK);
        TestHost.awaitListening(OUTSIDE);

        ctrnet.ok("network", "create", "--subnet", SUBNET, "guarded");
        ctrnet.ok("run", "-d", "--name", "target", "--network", "guarded", "-p", "127.0.0.1:" + LOOPBACK_PUBLISHED + ":81",
                "-p", PUBLISHED + ":82", "--", "sh", "-c",
                "socat -t" + Probe.PATIENCE + " TCP-LISTEN:80,reuseaddr,fork SYSTEM:'echo target-80' & "
                        + "socat -t" + Probe.PATIENCE + " TCP-LISTEN:81,reuseaddr,fork SYSTEM:'echo target-81' & "
                        + "socat -t" + Probe.PATIENCE + " TCP-LISTEN:82,reuseaddr,fork SYSTEM:'echo target-82' & wait");
        ctrnet.ok("run", "-d", "--name", "prober", "--network", "guarded", "--", "sleep", "600");
        for (int port : List.of(80, 81, 82)) {
            ctrnet.awaitListening("target", port);
        }
        targetIp = (String) ctrnet.inspect("target").get("ip");
        prober = ctrnet.inspect("prober");
        String bridge = (String) Json.object(ctrnet.ok("network", "inspect", "guarded")).get("bridge");
        gatewayMac = mac(List.of(), bridge);
    }

    @AfterAll
    void cleanUp() {
        services.forEach(Process::destroyForcibly);
        ctrnet.run("rm", "-f", "target", "prober");
        ctrnet.run("network", "rm", "guarded");
    }

    /** Attack 1: the neighbour's frame to the host's MAC, addressed to 127.0.0.1:PORT. */
    @Test
    void aNeighbourCannotReachAPortPublishedOnLoopback() {
        assertEquals(Answer.SYN_ACK, fromNeighbour(TestHost.HOST_IP, HOST_ANY),
                "control: the probe gets its SYN-ACK from a host service on all addresses");
        assertEquals("target-81", TestHost.tcp(List.of(), "127.0.0.1", LOOPBACK_PUBLISHED),
                "the host itself reaches its 127.0.0.1-published port");
        assertEquals("target-82", TestHost.tcp(TestHost.outside(), TestHost.HOST_IP, PUBLISHED),
                "published ports answer from the LAN");

        assertEquals(Answer.NOTHING, fromNeighbour("127.0.0.1", LOOPBACK_PUBLISHED), "a port meant for the host alone");
        assertEquals(Answer.NOTHING, fromNeighbour("127.0.0.1", HOST_LOOPBACK), "a host service on 127.0.0.1");
    }

    /** Attacks 2 and 3: a container's frame to its gateway's MAC, addressed to 127.0.0.1:PORT. */
    @Test
    void aContainerCannotReachTheHostsLoopback() {
        assertEquals(Answer.SYN_ACK, fromContainer(TestHost.HOST_IP, HOST_ANY),
                "control: the probe gets its SYN-ACK from a host service on all addresses");
        assertEquals("host-loopback", TestHost.tcp(List.of(), "127.0.0.1", HOST_LOOPBACK),
                "the host itself reaches its loopback service");

        assertEquals(Answer.NOTHING, fromContainer("127.0.0.1", HOST_LOOPBACK), "a host service bound to 127.0.0.1");
        assertEquals(Answer.NOTHING, fromContainer("127.0.0.1", LOOPBACK_PUBLISHED), "a port published on 127.0.0.1");
        assertEquals("", TestHost.tcp(ctrnet.exec("prober"), "127.0.0.1", LOOPBACK_PUBLISHED),
                "the container's own 127.0.0.1 is its own");
    }

    /** Attack 4: a neighbour that routes the containers' subnet through the host. */
    @Test
    void aNeighbourRoutingTheSubnetViaTheHostReachesOnlyPublishedPorts() {
        Shell.run(TestHost.outside("ip", "route", "replace", SUBNET, "via", TestHost.HOST_IP)).ok();
        try {
            assertEquals("target-82", TestHost.tcp(TestHost.outside(), TestHost.HOST_IP, PUBLISHED),
                    "control: the published port answers from the LAN");
            assertEquals(Answer.NOTHING, fromNeighbour(targetIp, 80), "a port never published");
            assertEquals(Answer.NOTHING, fromNeighbour(targetIp, 81), "a port published on 127.0.0.1 only");
            assertEquals(Answer.NOTHING, fromNeighbour(targetIp, 82), "a published port, but not through its mapping");
            assertEquals("", TestHost.tcp(TestHost.outside(), targetIp, 80), "nor with an ordinary client");
            assertEquals("outside", TestHost.tcp(ctrnet.exec("target"), TestHost.OUTSIDE_IP, OUTSIDE),
                    "the container still reaches the neighbour, and gets its answers back");
        } finally {
            Shell.run(TestHost.outside("ip", "route", "del", SUBNET));
        }
    }

    /** What containers may reach stays reachable: the host's services on its addresses and the outside world. */
    @Test
    void containersReachHostServicesOnTheHostsAddressesAndTheOutsideWorld() {
        String gateway = (String) prober.get("gateway");
        assertEquals("host-any", TestHost.tcp(ctrnet.exec("prober"), TestHost.HOST_IP, HOST_ANY), "the host's uplink address");
        assertEquals("host-any", TestHost.tcp(ctrnet.exec("prober"), gateway, HOST_ANY), "the gateway address");
        assertEquals("outside", TestHost.tcp(ctrnet.exec("prober"), TestHost.OUTSIDE_IP, OUTSIDE), "the outside world");
        assertEquals("target-82", TestHost.tcp(ctrnet.exec("prober"), TestHost.HOST_IP, PUBLISHED), "hairpin");
        assertEquals("target-80", TestHost.tcp(ctrnet.exec("prober"), targetIp, 80), "a container of the same network");
        assertEquals(Answer.SYN_ACK, fromContainer(gateway, HOST_ANY), "the probe agrees");
    }

    /**
     * Attack 5: a host whose forwarding was off, with two LANs on two interfaces. Once ctrnet has turned
     * forwarding on for its containers, LAN1 still cannot reach LAN2 through the host, also after a
     * reload and later commands; containers reach the outside world and published ports answer.
     */
    @Test
    void forwardingTurnedOnByCtrnetForwardsOnlyItsOwnNetworks() {
        try (TwoLanHost host = new TwoLanHost("fwoff")) {
            host.forwarding("1");
            assertTrue(Eventually.holds(host::lan1ReachesLan2), "control: with forwarding on, LAN1 reaches LAN2 through the host");
            host.forwarding("0");
            assertFalse(host.lan1ReachesLan2(), "forwarding off: it does not");

            Ctrnet inside = new Ctrnet(Path.of("/run/ctrnet-test/guards-fwoff-" + backend), "--nat", backend)
                    .inNetworkNamespace(host.netns());
            inside.ok("run", "-d", "--name", "fw-web", "-p", "8080:80", "--", "socat", "-t" + Probe.PATIENCE, "TCP-LISTEN:80,reuseaddr,fork",
                    "SYSTEM:echo fw-web");
            try {
                assertEquals("1", host.forwarding(), "ctrnet turned forwarding on");
                assertFalse(host.lan1ReachesLan2(), "LAN1 still cannot reach LAN2");
                assertEquals(0, inside.run("exec", "fw-web", "--", "ping", "-c1", "-w" + Probe.PATIENCE, TwoLanHost.LAN1_PEER).exit(),
                        "the container reaches the outside world");
                inside.awaitListening("fw-web", 80);
                assertEquals("fw-web", TestHost.tcp(host.inLan1(), TwoLanHost.LAN1_HOST, 8080), "its port answers from LAN1");

                inside.ok("network", "reload");
                inside.ok("run", "-d", "--name", "fw-later", "--", "sleep", "300");
                assertFalse(host.lan1ReachesLan2(), "after a reload and later commands too");
            } finally {
                inside.run("rm", "-f", "fw-web", "fw-later");
            }
        }
    }

    /** When forwarding was on before ctrnet, the host keeps forwarding what it forwarded. */
    @Test
    void forwardingThatWasOnBeforeIsLeftAlone() {
        try (TwoLanHost host = new TwoLanHost("fwon")) {
            host.forwarding("1");
            Ctrnet inside = new Ctrnet(Path.of("/run/ctrnet-test/guards-fwon-" + backend), "--nat", backend)
                    .inNetworkNamespace(host.netns());
            inside.ok("run", "-d", "--name", "fw-on", "--", "sleep", "300");
            try {
                assertTrue(Eventually.holds(host::lan1ReachesLan2), "LAN1 reaches LAN2 as before");
                assertEquals(0, inside.run("exec", "fw-on", "--", "ping", "-c1", "-w" + Probe.PATIENCE, TwoLanHost.LAN1_PEER).exit());
            } finally {
                inside.run("rm", "-f", "fw-on");
            }
        }
    }

    private Answer fromNeighbour(String destination, int port) {
        String ownMac = mac(List.of("ip", "netns", "exec", TestHost.OUTSIDE_NS), "eth0");
        return new SynProbe(Path.of("/run/netns/" + TestHost.OUTSIDE_NS), "eth0", ownMac, mac(List.of(), "uplink0"),
                TestHost.OUTSIDE_IP, destination, port).send();
    }

    private Answer fromContainer(String destination, int port) {
        return new SynProbe(Path.of((String) prober.get("netns")), "eth0", (String) prober.get("mac"), gatewayMac,
                (String) prober.get("ip"), destination, port).send();
    }

    /** The MAC address of {@code device}, as {@code ip} (started with {@code prefix}) reports it. */
    private static String mac(List<String> prefix, String device) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of("ip", "-j", "link", "show", device));
        return (String) Json.array(Shell.run(cmd).ok().out()).get(0).get("address");
    }

    /**
     * A network namespace playing a host of its own, with forwarding as the test sets it and two LANs,
     * each a namespace behind one of its interfaces: LAN1 192.0.2.0/26 (also its uplink) and LAN2
     * 192.0.2.64/26; each LAN routes the other through the host. Deleting the namespaces takes every
     * link and rule with them.
     */
    private static final class TwoLanHost implements AutoCloseable {
        static final String LAN1_HOST = "192.0.2.1";
        static final String LAN1_PEER = "192.0.2.2";
        static final String LAN2_PEER = "192.0.2.66";

        private final String name;

        TwoLanHost(String name) {
            this.name = name;
            String host = "ip -n " + name;
            Shell.sh(String.join(" && ",
                    "ip netns add " + name, "ip netns add " + name + "-lan1", "ip netns add " + name + "-lan2",
                    host + " link set lo up",
                    host + " link add lan1 type veth peer name eth0 netns " + name + "-lan1",
                    host + " link add lan2 type veth peer name eth0 netns " + name + "-lan2",
                    host + " addr add " + LAN1_HOST + "/26 dev lan1", host + " link set lan1 up",
                    host + " addr add 192.0.2.65/26 dev lan2", host + " link set lan2 up",
                    host + " route add default via " + LAN1_PEER,
                    lan(1, "addr add " + LAN1_PEER + "/26 dev eth0"), lan(1, "link set eth0 up"),
                    lan(1, "route add 192.0.2.64/26 via " + LAN1_HOST),
                    lan(2, "addr add " + LAN2_PEER + "/26 dev eth0"), lan(2, "link set eth0 up"),
                    lan(2, "route add 192.0.2.0/26 via 192.0.2.65"))).ok();
        }

        Path netns() {
            return Path.of("/run/netns/" + name);
        }

        List<String> inLan1() {
            return List.of("ip", "netns", "exec", name + "-lan1");
        }

        void forwarding(String value) {
            Shell.run(List.of("ip", "netns", "exec", name, "sysctl", "-qw", "net.ipv4.ip_forward=" + value)).ok();
        }

        String forwarding() {
            return Shell.run(List.of("ip", "netns", "exec", name, "sysctl", "-n", "net.ipv4.ip_forward")).ok().out().trim();
        }

        boolean lan1ReachesLan2() {
            List<String> ping = new ArrayList<>(inLan1());
            ping.addAll(List.of("ping", "-c1", "-W2", LAN2_PEER));
            return Shell.run(ping).exit() == 0;
        }

        @Override
        public void close() {
            for (String ns : List.of(name, name + "-lan1", name + "-lan2")) {
                Shell.run(List.of("ip", "netns", "del", ns));
            }
        }

        private String lan(int number, String command) {
            return "ip -n " + name + "-lan" + number + " " + command;
        }
    }
}
