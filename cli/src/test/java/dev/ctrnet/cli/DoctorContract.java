package dev.ctrnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.testing.Privileged;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code ctrnet doctor} against a real path, once per NAT backend: healthy, it says so and exits 0; broken one
 * thing at a time (forwarding off, a foreign forward policy of DROP, the masquerade rule deleted, the
 * container's veth down, its default route gone), it names that hop first, exits 1, and the fix it prints,
 * run as printed, makes the path work again. Whether the path works is checked with ping, not with the doctor.
 */
@Privileged
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DoctorContract {
    private static final String CONTAINER = "patient";

    private final Ctrnet ctrnet;
    private final String subnet;
    private final int port;
    private String bridge;

    DoctorContract(String backend, String root, String subnet, int port) {
        this.ctrnet = new Ctrnet(Path.of(root), "--nat", backend);
        this.subnet = subnet;
        this.port = port;
    }

    /** The shell command that deletes the backend's rule masquerading {@code subnet} out of any interface but {@code bridge}. */
    abstract String masqueradeDeletion(String subnet, String bridge);

    @BeforeAll
    void start() {
        TestHost.ensure();
        ctrnet.ok("network", "create", "--subnet", subnet, "clinic");
        bridge = (String) Json.object(ctrnet.ok("network", "inspect", "clinic")).get("bridge");
        ctrnet.ok("run", "-d", "--name", CONTAINER, "--network", "clinic", "-p", port + ":80", "--", "sleep", "600");
    }

    @AfterAll
    void cleanUp() {
        ctrnet.run("rm", "-f", CONTAINER);
        ctrnet.run("network", "rm", "clinic");
    }

    @Test
    void aHealthyPathIsSaidHealthyWithStatusZero() {
        assertTrue(Eventually.holds(this::reachesTheWorld), "the path does not work to begin with");
        Shell.Result text = ctrnet.run("doctor", CONTAINER);
        assertEquals(0, text.exit(), text.out() + text.err());
        assertTrue(text.out().contains("healthy: every hop passes"), text.out());
        for (String hop : List.of("interface eth0", "route", "bridge " + bridge, "ip_forward", "FORWARD policy",
                "masquerade", "conntrack", "DNAT 0.0.0.0:" + port + "/tcp")) {
            assertTrue(text.out().lines().anyMatch(l -> l.startsWith("  ok      " + hop)), hop + " not ok:\n" + text.out());
        }
        assertEquals(text.out(), ctrnet.run("--no-daemon", "doctor", CONTAINER).out(), "in-process, the same walk");
        assertEquals(0, ctrnet.run("doctor", CONTAINER, "--to", TestHost.OUTSIDE_IP).exit());
        Shell.Result inbound = ctrnet.run("doctor", "--to", TestHost.HOST_IP + ":" + port, "--format", "json");
        assertEquals(0, inbound.exit(), inbound.out());
        assertEquals(true, Json.array(inbound.out()).get(0).get("healthy"));
    }

    @Test
    void theDiagramShowsWhatIpSees() {
        String veth = hostEnd();
        String ip = (String) ctrnet.inspect(CONTAINER).get("ip");
        String picture = ctrnet.ok("network", "inspect", "clinic", "--diagram");
        for (String part : List.of("uplink uplink0 " + TestHost.HOST_IP + "/24", "bridge " + bridge,
                veth + " ═veth═ eth0", CONTAINER + "  " + ip + "/24", "80/tcp -> 0.0.0.0:" + port)) {
            assertTrue(picture.contains(part), part + " missing from\n" + picture);
        }
        assertEquals(picture, ctrnet.ok("--no-daemon", "network", "inspect", "clinic", "--diagram"));
        assertTrue(ctrnet.ok("topology").contains(veth + " ═veth═ eth0"));
        String dot = ctrnet.ok("network", "inspect", "clinic", "--diagram", "--format", "dot");
        assertTrue(dot.startsWith("graph ctrnet {") && dot.contains(veth) && dot.contains(ip), dot);
        Shell.Result svg = ctrnet.run("topology", "--format", "svg");
        if (Shell.sh("command -v dot").exit() == 0) {
            assertTrue(svg.ok().out().contains("<svg") && svg.out().contains(">" + CONTAINER + "<"), svg.out());
        } else {
            assertTrue(svg.refused().err().contains("install package graphviz"), svg.err());
        }
        ctrnet.run("network", "inspect", "clinic", "--format", "dot").refused();
    }

    @Test
    void forwardingOff() {
        diagnosed("sysctl -qw net.ipv4.ip_forward=0", "ip_forward", "sysctl -w net.ipv4.ip_forward=1",
                "sysctl -qw net.ipv4.ip_forward=1");
    }

    @Test
    void aForeignIptablesForwardPolicyOfDrop() {
        diagnosed("iptables -P FORWARD DROP", "FORWARD policy", "iptables -A FORWARD -i " + bridge + " -j ACCEPT",
                "iptables -P FORWARD ACCEPT; while iptables -D FORWARD -i " + bridge + " -j ACCEPT 2>/dev/null; do :; done;"
                        + " while iptables -D FORWARD -o " + bridge + " -j ACCEPT 2>/dev/null; do :; done");
    }

    @Test
    void aForeignNftablesForwardChainWithPolicyDrop() {
        diagnosed("nft add table inet theirs && nft add chain inet theirs gate"
                        + " '{ type filter hook forward priority 0; policy drop; }'",
                "FORWARD policy", "nft add rule inet theirs gate", "nft delete table inet theirs 2>/dev/null || true");
    }

    @Test
    void aDeletedMasqueradeRule() {
        diagnosed(masqueradeDeletion(subnet, bridge), "masquerade", "network reload", "");
    }

    @Test
    void theContainersVethDown() {
        String veth = hostEnd();
        diagnosed("ip link set " + veth + " down", "veth " + veth, "ip link set " + veth + " up",
                "ip link set " + veth + " up");
    }

    @Test
    void theContainersDefaultRouteMissing() {
        String netns = (String) ctrnet.inspect(CONTAINER).get("netns");
        String gateway = (String) ctrnet.inspect(CONTAINER).get("gateway");
        diagnosed("nsenter --net=" + netns + " ip route del default", "route",
                "nsenter --net=" + netns + " ip route add default via " + gateway,
                "nsenter --net=" + netns + " ip route replace default via " + gateway);
    }

    /**
     * Breaks the path with {@code breakIt}, expects the doctor to name {@code hop} first with a fix containing
     * {@code fixPart}, runs that fix as printed, and expects the path healthy and working again; {@code restore}
     * runs in any case, so that one failure does not break the next test.
     */
    private void diagnosed(String breakIt, String hop, String fixPart, String restore) {
        Shell.sh(breakIt).ok();
        try {
            assertFalse(reachesTheWorld(), "breaking " + hop + " did not break the path");
            Shell.Result json = ctrnet.run("doctor", CONTAINER, "--format", "json");
            assertEquals(1, json.exit(), json.out() + json.err());
            Map<String, Object> path = Json.array(json.out()).get(0);
            assertEquals(hop, path.get("firstBroken"), json.out());
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> hops = (List<Map<String, Object>>) path.get("hops");
            String fix = (String) hops.stream().filter(h -> h.get("hop").equals(hop)).findFirst().orElseThrow().get("fix");
            assertTrue(fix.contains(fixPart), fix);
            Shell.Result text = ctrnet.run("doctor", CONTAINER);
            assertEquals(1, text.exit());
            assertTrue(text.out().contains("broken at " + hop + "; fix: " + fix), text.out());

            Shell.Result fixed = Shell.run(List.of("sh", "-c", fix), 120,
                    Map.of("PATH", Ctrnet.REPO.resolve("bin") + ":" + System.getenv("PATH")));
            assertEquals(0, fixed.exit(), "the fix failed: " + fix + "\n" + fixed.err());
            Shell.Result after = ctrnet.run("doctor", CONTAINER);
            assertEquals(0, after.exit(), after.out());
            assertTrue(Eventually.holds(this::reachesTheWorld), "the fix did not repair the path: " + fix);
        } finally {
            if (!restore.isEmpty()) {
                Shell.sh(restore);
            }
        }
    }

    /** Whether the container reaches the outside world (through the host's forwarding and masquerade). */
    private boolean reachesTheWorld() {
        List<String> ping = new java.util.ArrayList<>(ctrnet.exec(CONTAINER));
        ping.addAll(List.of("ping", "-c1", "-W2", TestHost.OUTSIDE_IP));
        return Shell.run(ping).exit() == 0;
    }

    /** The host's end of the container's cable, found as ip sees it: the peer of its eth0. */
    private String hostEnd() {
        String netns = (String) ctrnet.inspect(CONTAINER).get("netns");
        String index = String.valueOf(Json.array(Shell.run(List.of("nsenter", "--net=" + netns, "ip", "-j", "link", "show",
                "eth0")).ok().out()).get(0).get("link_index"));
        return Json.array(Shell.run(List.of("ip", "-j", "link", "show")).ok().out()).stream()
                .filter(l -> String.valueOf(l.get("ifindex")).equals(index)).findFirst().orElseThrow()
                .get("ifname").toString();
    }
}
