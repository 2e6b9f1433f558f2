package dev.ctrnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.api.testing.Privileged;
import dev.ctrnet.api.testing.Probe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 3's acceptance, through the real CLI in the sandbox: containers on none, host and the default
 * bridge; traffic between containers, the host and the outside world; the lifecycle commands.
 */
@Privileged
class ContainersIT {
    private static final Ctrnet CTRNET = new Ctrnet(Path.of("/run/ctrnet-test/containers-it"));

    @BeforeAll
    static void host() {
        TestHost.ensure();
    }

    @AfterAll
    static void nothingLeftBehind() throws IOException {
        for (Map<String, Object> c : Json.array(CTRNET.ok("ps", "-a", "--format", "json"))) {
            CTRNET.ok("rm", "-f", (String) c.get("name"));
        }
        assertTrue(Eventually.holds(() -> !Shell.run(List.of("ip", "-o", "link")).ok().out().contains(" ve-")), "a veth is left");
        assertEquals(List.of(), StateFiles.list(CTRNET.root().resolve("run/netns")), "netns mounts left");
        assertEquals(List.of(), StateFiles.list(CTRNET.root().resolve("run/uts")), "uts mounts left");
        assertEquals(List.of(), StateFiles.list(CTRNET.root().resolve("containers")), "records left");
        try (Stream<Path> leases = Files.walk(CTRNET.root().resolve("ipam"))) {
            assertEquals(List.of(), leases.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().equals("last")).toList(), "leases left");
        }
    }

    @Test
    void versionAndHelpAnswer() {
        assertTrue(CTRNET.ok("--version").matches("ctrnet \\S+ \\(SPI \\d+\\.\\d+\\)\\s*"), "ctrnet VERSION (SPI M.N)");
        String help = CTRNET.ok("--help");
        for (String command : List.of("run", "exec", "ps", "inspect", "port", "logs", "stop", "rm", "network", "drivers",
                "system", "topology", "doctor", "service")) {
            assertTrue(help.contains("  " + command + " "), "help lists " + command + ":\n" + help);
        }
        assertTrue(CTRNET.ok("network", "--help").contains("connect"));
    }

    @Test
    void driversListsEveryDriverAndBackendWithItsOriginAndTheBackendInUse() {
        List<String[]> rows = CTRNET.ok("drivers").lines().skip(1).map(l -> l.trim().split("\\s+")).toList();
        List<String> names = rows.stream().map(r -> r[0] + ":" + r[1]).sorted().toList();
        assertEquals(List.of("driver:bridge", "driver:host", "driver:none", "nat:iptables", "nat:nftables"), names);
        assertTrue(rows.stream().allMatch(r -> r[r.length - 1].endsWith(".jar")), "each comes from a jar");
        assertEquals(List.of("nftables"), rows.stream().filter(r -> r.length == 5 && r[3].equals("yes"))
                .map(r -> r[1]).toList(), "auto uses nftables where it works");
    }

    @Test
    void noneNetworkHasOnlyLoopbackAndItIsUp() {
        var links = Json.array(CTRNET.ok("run", "--rm", "--network", "none", "--", "ip", "-j", "link"));
        assertEquals(1, links.size(), links.toString());
        assertEquals("lo", links.get(0).get("ifname"));
        assertTrue(((List<?>) links.get(0).get("flags")).contains("UP"));
    }

    @Test
    void hostNetworkSeesTheHostsLinks() {
        String links = CTRNET.ok("run", "--rm", "--network", "host", "--", "ip", "-o", "link");
        assertTrue(links.contains("uplink0"), links);
    }

    @Test
    void defaultBridgeGivesEth0AnAddressAndADefaultRoute() {
        Map<String, Object> bridge = Json.object(CTRNET.ok("network", "inspect", "bridge"));
        Cidr subnet = Cidr.parse((String) bridge.get("subnet"));
        String out = CTRNET.ok("run", "--rm", "--", "sh", "-c", "ip -j addr show eth0; echo; ip -j route");
        String[] parts = out.split("\n", 2);
        var addr = Json.array(parts[0]).get(0);
        @SuppressWarnings("unchecked")
        var info = ((List<Map<String, Object>>) addr.get("addr_info")).get(0);
        assertTrue(subnet.contains(IpAddresses.parse((String) info.get("local"))), info.toString());
        assertEquals(subnet.prefixLength(), ((Number) info.get("prefixlen")).intValue());
        var routes = Json.array(parts[1].trim());
        assertTrue(routes.stream().anyMatch(r -> "default".equals(r.get("dst")) && bridge.get("gateway").equals(r.get("gateway"))),
                routes.toString());
        assertEquals(1450, ((Number) addr.get("mtu")).intValue(), "the MTU of the host's default-route interface (uplink0)");
        String resolv = CTRNET.ok("run", "--rm", "--", "cat", "/etc/resolv.conf");
        assertFalse(resolv.lines().anyMatch(l -> l.matches("\\s*nameserver\\s+127\\..*")),
                "no loopback name server, unreachable from the container: " + resolv);
        // the kernel destroys the veth in the background once the namespace is gone
        assertTrue(Eventually.holds(() -> Json.array(Shell.run(List.of("ip", "-j", "link", "show", "master",
                (String) bridge.get("bridge"))).ok().out()).isEmpty()), "the --rm container's veth is gone from the bridge");
    }

    @Test
    void containersReachEachOtherTheHostAndTheOutsideWorldMasqueraded() {
        CTRNET.ok("run", "-d", "--name", "ping-a", "--", "sleep", "300");
        CTRNET.ok("run", "-d", "--name", "ping-b", "--", "sleep", "300");
        String ipA = (String) CTRNET.inspect("ping-a").get("ip");
        String ipB = (String) CTRNET.inspect("ping-b").get("ip");
        String gateway = (String) CTRNET.inspect("ping-a").get("gateway");
        assertNotEquals(ipA, ipB);
        assertTrue(CTRNET.reaches("ping-a", ipB));
        assertTrue(CTRNET.reaches("ping-b", ipA));
        assertTrue(CTRNET.reaches("ping-a", gateway));
        assertTrue(Probe.answersPing(List.of(), ipA));
        assertEquals(TestHost.HOST_IP, TestHost.sourceSeenOutside(CTRNET.exec("ping-a"), 7000),
                "the outside world sees the host's address (masquerade)");
        CTRNET.ok("rm", "-f", "ping-a", "ping-b");
    }

    @Test
    void lifecycleExecPsInspectLogsStopRm() {
        String name = CTRNET.ok("run", "-d", "--name", "life", "--hostname", "lifebox", "--", "sh", "-c",
                "echo hello from $HOSTNAME; exec sleep 300").trim();
        assertEquals("life", name);
        Map<String, Object> running = CTRNET.inspect("life");
        assertEquals("running", running.get("state"));
        for (String field : List.of("name", "id", "state", "pid", "network", "ip", "gateway", "mac", "netns", "ports")) {
            assertTrue(running.containsKey(field), "inspect lacks " + field);
        }
        assertEquals("bridge", running.get("network"));
        assertTrue(Files.exists(Path.of((String) running.get("netns"))));
        assertEquals("lifebox", CTRNET.ok("exec", "life", "--", "hostname").trim());
        assertEquals("lifebox", CTRNET.ok("exec", "life", "--", "cat", "/etc/hostname").trim());
        assertTrue(CTRNET.ok("exec", "life", "--", "cat", "/etc/hosts").contains(running.get("ip") + "\tlifebox"));
        var ps = Json.array(CTRNET.ok("ps", "--format", "json"));
        assertTrue(ps.stream().anyMatch(c -> c.get("name").equals("life") && c.get("state").equals("running")));
        assertTrue(CTRNET.ok("logs", "life").contains("hello from lifebox"));
        var rmRunning = CTRNET.run("rm", "life");
        assertNotEquals(0, rmRunning.exit());
        assertTrue(rmRunning.err().startsWith("ctrnet: container life is running"), rmRunning.err());
        CTRNET.ok("stop", "-t", "1", "life");
        assertEquals("exited", CTRNET.inspect("life").get("state"));
        assertTrue(Json.array(CTRNET.ok("ps", "--format", "json")).stream().noneMatch(c -> c.get("name").equals("life")));
        assertTrue(Json.array(CTRNET.ok("ps", "-a", "--format", "json")).stream().anyMatch(c -> c.get("name").equals("life")));
        CTRNET.ok("rm", "life");
        assertFalse(CTRNET.ok("ps", "-a").contains("life"));
    }

    @Test
    void foregroundRunReturnsTheCommandsExitStatus() {
        assertEquals(7, CTRNET.run("run", "--rm", "--network", "none", "--", "sh", "-c", "exit 7").exit());
        var kept = CTRNET.run("run", "--name", "exits", "--network", "none", "--", "sh", "-c", "exit 3");
        assertEquals(3, kept.exit());
        assertEquals(3, ((Number) CTRNET.inspect("exits").get("exitCode")).intValue());
        CTRNET.ok("rm", "exits");
    }

    @Test
    void aForegroundCommandThatCannotStartEndsWithTheStatusAShellGives() {
        var missing = CTRNET.run("run", "--rm", "--name", "missing", "--network", "none", "--", "no-such-command");
        assertEquals(127, missing.exit(), missing.err());
        assertEquals("ctrnet: the command of container missing could not start: no-such-command: executable file not "
                + "found in $PATH", missing.err().trim());
        assertEquals("ctrnet: no such container: missing", CTRNET.run("inspect", "missing").err().trim(), "--rm removed it");
        var plain = CTRNET.run("run", "--name", "plain", "--network", "none", "--", "/etc/hostname");
        assertEquals(126, plain.exit(), plain.err());
        assertEquals(1, plain.err().lines().count(), plain.err());
        assertTrue(plain.err().startsWith("ctrnet: the command of container plain could not start: /etc/hostname: "),
                plain.err());
        assertEquals(126, ((Number) CTRNET.inspect("plain").get("exitCode")).intValue());
        CTRNET.ok("rm", "plain");
    }

    @Test
    void theCommandSeesOnlyItsOwnProcesses() {
        String pids = CTRNET.ok("run", "--rm", "--network", "none", "--", "sh", "-c", "ls /proc | grep -E '^[0-9]+$'");
        List<String> listed = pids.lines().toList();
        assertTrue(listed.contains("1"), "the command is PID 1 of its namespace: " + listed);
        assertTrue(listed.size() <= 3, "only the container's own processes: " + listed);
    }

    @Test
    void rootfsConfinesTheContainerToIt() throws IOException {
        Path rootfs = BusyboxRoot.make(Path.of("/run/ctrnet-test/busybox-root"));
        String out = CTRNET.ok("run", "--rm", "--rootfs", rootfs.toString(), "--hostname", "bb", "--", "sh", "-c",
                "ls /; echo ---; cat /etc/hostname; ls /proc/1/ >/dev/null && echo proc-ok; ls /dev");
        String[] parts = out.split("---\n");
        List<String> top = List.of(parts[0].trim().split("\\s+"));
        assertEquals(List.of("bin", "dev", "etc", "proc"), top.stream().sorted().toList(), "only the rootfs is visible: " + top);
        assertTrue(parts[1].contains("bb") && parts[1].contains("proc-ok"), parts[1]);
        assertTrue(parts[1].contains("null") && parts[1].contains("urandom"), "a minimal /dev: " + parts[1]);
    }

    @Test
    void errorsAreOneClearLineAndLeaveNothingBehind() {
        var unknown = CTRNET.run("run", "--rm", "--network", "nope", "--", "true");
        assertEquals("ctrnet: network nope not found: create it with ctrnet network create nope", unknown.err().trim());
        var badPort = CTRNET.run("run", "--rm", "-p", "99999:80", "--", "true");
        assertTrue(badPort.err().startsWith("ctrnet: '99999:80': a port is a number from 1 to 65535"), badPort.err());
        assertEquals(1, badPort.err().lines().count());
        CTRNET.ok("run", "-d", "--name", "dup", "--network", "none", "--", "sleep", "300");
        var dup = CTRNET.run("run", "-d", "--name", "dup", "--network", "none", "--", "true");
        assertEquals("ctrnet: container name dup is already in use: remove it or choose another --name", dup.err().trim());
        CTRNET.ok("rm", "-f", "dup");
        var execGone = CTRNET.run("exec", "dup", "--", "true");
        assertEquals("ctrnet: no such container: dup", execGone.err().trim());
        CTRNET.run("run", "--name", "bad/name", "--", "true").refused();
        CTRNET.run("run", "--rm").refused();
        CTRNET.run("network", "inspect", "../firewall").refused();
        CTRNET.ok("run", "-d", "--name", "survivor", "--network", "none", "--", "sleep", "300");
        var partly = CTRNET.run("rm", "-f", "ghost", "survivor");
        assertEquals(1, partly.exit(), "one of the two could not be removed");
        assertEquals("ctrnet: no such container: ghost", partly.err().trim());
        assertEquals("survivor", partly.out().trim(), "the other one was removed all the same");
    }

    @Test
    void environmentAndRequestedAddressReachTheContainer() {
        Map<String, Object> bridge = Json.object(CTRNET.ok("network", "inspect", "bridge"));
        Cidr subnet = Cidr.parse((String) bridge.get("subnet"));
        String wanted = IpAddresses.format(subnet.addressAt(java.math.BigInteger.valueOf(200)));
        String out = CTRNET.ok("run", "--rm", "--ip", wanted, "-e", "GREETING=hello there", "-e", "EMPTY=", "--", "sh", "-c",
                "echo \"$GREETING|$EMPTY|$HOSTNAME\"; ip -o -4 addr show eth0");
        assertTrue(out.startsWith("hello there||"), out);
        assertTrue(out.contains("inet " + wanted + "/"), "the requested address: " + out);
        var outside = CTRNET.run("run", "--rm", "--ip", "203.0.113.7", "--", "true");
        assertTrue(outside.err().startsWith("ctrnet: address 203.0.113.7 is outside network bridge's subnet"), outside.err());
        var gateway = CTRNET.run("run", "--rm", "--ip", (String) bridge.get("gateway"), "--", "true");
        assertTrue(gateway.err().contains("is reserved in network bridge"), gateway.err());
    }

    @Test
    void detachedRmContainerIsRemovedWhenItEnds() {
        CTRNET.ok("run", "-d", "--rm", "--name", "brief", "--", "sleep", "0.3");
        assertTrue(Eventually.holds(() -> CTRNET.run("inspect", "brief").exit() != 0), "the container removed itself");
        assertEquals("ctrnet: no such container: brief", CTRNET.run("inspect", "brief").err().trim());
    }

    @Test
    void theContainersEnvironmentReachesOnlyItsCommand() {
        assertEquals("hi", CTRNET.ok("run", "--rm", "--network", "none", "-e", "PATH=/opt/app/bin", "-e",
                "LD_PRELOAD=/nonexistent.so", "--", "/bin/echo", "hi").trim(), "the tools that set it up are unaffected");
        var unstartable = CTRNET.run("run", "-d", "--name", "unstartable", "-e", "PATH=/nonexistent", "--", "sleep", "1");
        unstartable.refused();
        assertTrue(unstartable.err().startsWith("ctrnet: the command of container unstartable could not start: "),
                unstartable.err());
        assertEquals("ctrnet: no such container: unstartable", CTRNET.run("inspect", "unstartable").err().trim(),
                "nothing is left of it");
    }

    @Test
    void aStateRootWithSpacesWorksForDetachedRmContainers() {
        Ctrnet spaced = new Ctrnet(Path.of("/run/ctrnet-test/with space"));
        spaced.ok("run", "-d", "--rm", "--network", "none", "--name", "spaced", "--", "sleep", "0.2");
        assertTrue(Eventually.holds(() -> spaced.run("inspect", "spaced").exit() != 0), "it removed itself");
    }

    @Test
    void bridgesThatAreNotTheNetworksOwnAreRefused() {
        Shell.run(List.of("ip", "link", "add", "foreignbr", "type", "bridge")).ok();
        try {
            var adopted = CTRNET.run("network", "create", "--opt", "bridge=foreignbr", "adopter");
            assertTrue(adopted.err().startsWith("ctrnet: a bridge named foreignbr already exists and is not this network's"),
                    adopted.err());
            assertEquals(0, Shell.run(List.of("ip", "link", "show", "foreignbr")).exit(), "the foreign bridge is untouched");
            assertNotEquals(0, CTRNET.run("network", "inspect", "adopter").exit(), "no record is left");
        } finally {
            Shell.run(List.of("ip", "link", "del", "foreignbr"));
        }
        CTRNET.ok("network", "create", "--opt", "bridge=sharedbr", "first-owner");
        var second = CTRNET.run("network", "create", "--opt", "bridge=sharedbr", "second-owner");
        assertEquals("ctrnet: bridge sharedbr is already network first-owner's: choose another bridge=NAME",
                second.err().trim());
        CTRNET.ok("network", "rm", "first-owner");
    }

    @Test
    void pruneRemovesARunThatDiedBeforeItsContainerStarted() throws Exception {
        // a separate ctrnet process creates a container and dies before starting it, as a kill -9 would leave it
        Path program = Path.of("/run/ctrnet-test/CreateAndDie.java");
        Files.writeString(program, String.join("\n",
                "import dev.ctrnet.core.*;",
                "import dev.ctrnet.core.container.*;",
                "import java.nio.file.Path;",
                "import java.util.*;",
                "public class CreateAndDie {",
                "  public static void main(String[] a) {",
                "    dev.ctrnet.core.Runtime r = dev.ctrnet.core.Runtime.open(",
                "        RuntimeConfig.forRoot(Path.of(a[0]), \"auto\", Optional.empty(), Optional.empty()));",
                "    r.create(new ContainerSpec(Optional.of(\"orphan\"), \"bridge\", List.of(), Optional.empty(), Optional.empty(),",
                "        Optional.empty(), Map.of(), List.of(\"sleep\", \"300\"), true, false, Privileges.dockerDefaults()));",
                "    java.lang.Runtime.getRuntime().halt(137);",
                "  }",
                "}"));
        var died = Shell.run(List.of("java", "-cp", Ctrnet.REPO.resolve("cli/target/lib").toString() + "/*",
                program.toString(), CTRNET.root().toString()), 60);
        assertEquals(137, died.exit(), died.err());
        Map<String, Object> orphan = CTRNET.inspect("orphan");
        assertEquals("created", orphan.get("state"));
        Path netns = Path.of((String) orphan.get("netns"));
        assertTrue(Files.exists(netns));
        String pruned = CTRNET.ok("system", "prune");
        assertTrue(pruned.contains("removed container orphan, whose run was interrupted before it started"), pruned);
        assertEquals("ctrnet: no such container: orphan", CTRNET.run("inspect", "orphan").err().trim());
        assertFalse(Files.exists(netns), "its namespace is gone");
    }


    @Test
    void concurrentRunsNeverShareAnAddress() throws Exception {
        List<Process> runs = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            runs.add(new ProcessBuilder(Ctrnet.REPO.resolve("bin/ctrnet").toString(), "--root", CTRNET.root().toString(),
                    "run", "-d", "--name", "conc" + i, "--", "sleep", "300")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }
        for (Process p : runs) {
            assertEquals(0, p.waitFor());
        }
        List<String> ips = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ips.add((String) CTRNET.inspect("conc" + i).get("ip"));
        }
        assertEquals(8, ips.stream().distinct().count(), "eight containers, eight addresses: " + ips);
        for (int i = 0; i < 8; i++) {
            CTRNET.ok("rm", "-f", "conc" + i);
        }
    }

    @Test
    void sigtermOnAForegroundRmContainerRemovesEverything() throws Exception {
        Process run = new ProcessBuilder(Ctrnet.REPO.resolve("bin/ctrnet").toString(), "--root", CTRNET.root().toString(),
                "run", "--rm", "--name", "interrupted", "-p", "8765:80", "--", "sleep", "300")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(Eventually.holds(() -> CTRNET.run("inspect", "interrupted").out().contains("\"running\"")), "it started");
        Shell.run(List.of("kill", "-TERM", Long.toString(run.pid()))).ok();
        assertTrue(run.waitFor(15, java.util.concurrent.TimeUnit.SECONDS), "the CLI ended after SIGTERM");
        assertEquals("ctrnet: no such container: interrupted", CTRNET.run("inspect", "interrupted").err().trim());
        assertFalse(Shell.run(List.of("nft", "list", "ruleset")).ok().out().contains("8765"), "its port is unpublished");
    }

    @Test
    void pruneReclaimsWhatACrashLeftBehind() throws IOException {
        CTRNET.ok("run", "-d", "--name", "crashed", "-p", "8766:80", "--", "sleep", "300");
        Map<String, Object> c = CTRNET.inspect("crashed");
        Path netns = Path.of((String) c.get("netns"));
        String ip = (String) c.get("ip");
        // the crash: the process is killed and its record lost, everything else is left behind
        Shell.run(List.of("kill", "-KILL", String.valueOf(c.get("pid")))).ok();
        StateFiles.loseRecord(CTRNET.root(), "crashed");
        assertTrue(Files.exists(netns));
        String pruned = CTRNET.ok("system", "prune");
        assertTrue(pruned.contains("removed netns mount " + netns), pruned);
        assertTrue(pruned.contains("released " + ip + " on bridge"), pruned);
        assertFalse(Files.exists(netns), "the netns mount is gone");
        assertFalse(Shell.run(List.of("nft", "list", "ruleset")).ok().out().contains("8766"), "its port is unpublished");
        assertTrue(Eventually.holds(() -> !Shell.run(List.of("ip", "-o", "link")).ok().out().contains(" ve-"
                + ((String) c.get("id")).substring(0, 8))), "its veth is gone");
    }

}
