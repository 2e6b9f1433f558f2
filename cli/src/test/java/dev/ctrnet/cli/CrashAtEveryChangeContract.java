package dev.ctrnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 10's crash journal through the real CLI, once per NAT backend: each operation is killed (as by
 * {@code kill -9}, {@code CTRNET_CRASH_AFTER_CHANGE=N}) right after each of its changes in turn, N = 1, 2, ...
 * until it completes; after each crash, {@code system prune} must leave the host exactly as the state says: as
 * before the operation for one that is walked back ({@code run}, {@code network create}, {@code network connect}),
 * as after it for one that is finished ({@code rm}, {@code network rm}, {@code network disconnect}, {@code network
 * reload}, {@code system prune}). "Exactly" is what a user would look at: the state root's files (records, leases,
 * journals, temporary files, namespace mounts), the name servers' records, links with their masters, addresses,
 * routes, what is inside each container's namespace, ctrnet's mounts, the nftables and iptables rules, and the
 * processes of this root (name servers, proxies, containers). Then the same name, address and published port are
 * used again at once. The number of crash points covered is printed per backend.
 *
 * <p>Commands that are not crashed go through the service, which is quicker; a crashed one runs in its own
 * process (the crash switches make the client run it so).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CrashAtEveryChangeContract {
    /** In the container commands: their processes are found by it. */
    private static final String MARKER = Long.toString(200_000 + ProcessHandle.current().pid());
    private static final Path NAME_RECORDS = Path.of("/run/ctrnet-names");
    /** The host end of a container's cable, in its record. */
    private static final Pattern HOST_INTERFACE = Pattern.compile("\"hostInterface\"\\s*:\\s*\"([^\"]+)\"");

    private final String backend;
    private final Ctrnet ctrnet;
    /** Crash points covered, by operation, in the order the tests ran. */
    private final Map<String, Integer> covered = new LinkedHashMap<>();

    CrashAtEveryChangeContract(String backend, String root) {
        this.backend = backend;
        this.ctrnet = new Ctrnet(Path.of(root), "--nat", backend);
    }

    @BeforeAll
    void host() {
        TestHost.ensure();
    }

    @AfterAll
    void report() {
        int total = covered.values().stream().mapToInt(Integer::intValue).sum();
        System.out.println("crash points covered (" + backend + "): " + covered.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")) + "; total " + total);
        ctrnet.removeEverything();
    }

    @Test
    void aNetworkCreateCrashedAtAnyChangeIsWalkedBack() {
        String[] create = {"network", "create", "--ipv6", "--subnet", "10.82.0.0/24", "--subnet", "fd00:82::/64",
            "--opt", "bridge=jcreate0", "jcreate"};
        walkedBack("network create", List.of(), create, List.of(List.of("network", "rm", "jcreate")));
    }

    @Test
    void aRunCrashedAtAnyChangeIsWalkedBack() {
        // a fresh dual-stack network each time: the run starts its name server and a [::1] proxy for its port
        walkedBack("run", List.of(List.of("network", "create", "--ipv6", "--subnet", "10.81.0.0/24", "--subnet",
                "fd00:81::/64", "--opt", "bridge=jrun0", "jrun")), run("victim", "jrun", "10.81.0.50", 8950),
                List.of(List.of("rm", "-f", "victim"), List.of("network", "rm", "jrun")));
    }

    @Test
    void anRmCrashedAtAnyChangeIsFinished() {
        ctrnet.ok("network", "create", "--ipv6", "--subnet", "10.85.0.0/24", "--subnet", "fd00:85::/64", "--opt",
                "bridge=jrm0", "jrmnet");
        String[] run = run("removed", "jrmnet", "10.85.0.50", 8951);
        finished("rm", List.of(List.of(run)), new String[] {"rm", "-f", "removed"});
        ctrnet.ok("network", "rm", "jrmnet");
    }

    @Test
    void aConnectCrashedAtAnyChangeIsWalkedBack() {
        ctrnet.ok("network", "create", "--subnet", "10.86.0.0/24", "--opt", "bridge=jhome0", "jhome");
        ctrnet.ok(run("connected", "jhome", "10.86.0.50", 8952));
        // a fresh network each time: the connect starts its name server
        String[] connect = {"network", "connect", "--ip", "10.87.0.50", "--alias", "other", "jcon", "connected"};
        walkedBack("network connect", List.of(List.of("network", "create", "--subnet", "10.87.0.0/24", "--opt",
                "bridge=jcon0", "jcon")), connect, List.of(List.of("network", "disconnect", "jcon", "connected"),
                List.of("network", "rm", "jcon")));
        ctrnet.ok("rm", "-f", "connected");
        ctrnet.ok("network", "rm", "jhome");
    }

    @Test
    void aDisconnectCrashedAtAnyChangeIsFinished() {
        ctrnet.ok("network", "create", "--subnet", "10.88.0.0/24", "--opt", "bridge=jstay0", "jstay");
        ctrnet.ok("network", "create", "--subnet", "10.89.0.0/24", "--opt", "bridge=jdis0", "jdis");
        ctrnet.ok(run("disconnected", "jstay", "10.88.0.50", 8953));
        finished("network disconnect", List.of(List.of("network", "connect", "--ip", "10.89.0.50", "jdis",
                "disconnected")), new String[] {"network", "disconnect", "jdis", "disconnected"});
        ctrnet.ok("rm", "-f", "disconnected");
        ctrnet.ok("network", "rm", "jstay");
        ctrnet.ok("network", "rm", "jdis");
    }

    @Test
    void aNetworkRmCrashedAtAnyChangeIsFinished() {
        // a container came and went: the network's name server runs, and goes with it
        finished("network rm", List.of(
                List.of("network", "create", "--subnet", "10.90.0.0/24", "--opt", "bridge=jgone0", "jgone"),
                List.of(run("visitor", "jgone", "10.90.0.50", 8954)), List.of("rm", "-f", "visitor")),
                new String[] {"network", "rm", "jgone"});
    }

    @Test
    void aReloadCrashedAtAnyChangeIsFinished() {
        ctrnet.ok("network", "create", "--subnet", "10.91.0.0/24", "--opt", "bridge=jload0", "jload");
        ctrnet.ok(run("reloaded", "jload", "10.91.0.50", 8955));
        // the bridge deleted by a third party: reload makes it again and puts the container's cable back on it
        finished("network reload", List.of(List.of("ip", "link", "del", "jload0")), new String[] {"network", "reload"});
        ctrnet.ok("rm", "-f", "reloaded");
        ctrnet.ok("network", "rm", "jload");
    }

    @Test
    void aPruneCrashedAtAnyChangeIsFinished() {
        ctrnet.ok("network", "create", "--subnet", "10.92.0.0/24", "--opt", "bridge=jprune0", "jprune");
        ctrnet.ok(run("warm", "jprune", "10.92.0.50", 8956)); // starts the network's name server
        ctrnet.ok("rm", "-f", "warm");
        String[] run = run("halfmade", "jprune", "10.92.0.50", 8956);
        // what prune has to do: walk back a run that crashed late, after its record, names and rules
        List<String> crashRun = new ArrayList<>(List.of("CRASH", "9"));
        crashRun.addAll(List.of(run));
        finished("system prune", List.of(crashRun), new String[] {"system", "prune"});
        ctrnet.ok("network", "rm", "jprune");
    }

    /** {@code run -d} of a container whose process is found by {@link #MARKER}, with an address and a published port. */
    private static String[] run(String name, String network, String ip, int port) {
        return new String[] {"run", "-d", "--name", name, "--network", network, "--ip", ip, "-p", port + ":80", "--",
            "sleep", MARKER};
    }

    /**
     * Crashes {@code operation} after each of its changes in turn, each time from the state {@code setup} makes;
     * after each crash, prune must leave that state, and {@code operation} then works at once; {@code teardown}
     * goes back to the state before {@code setup}.
     */
    private void walkedBack(String label, List<List<String>> setup, String[] operation, List<List<String>> teardown) {
        // once in full first: what stays for good (the runtime folder's shared mounts, a name server) is there
        setup.forEach(this::step);
        ctrnet.ok(operation);
        teardown.forEach(this::step);
        int crashes = 0;
        for (int n = 1; ; n++) {
            setup.forEach(this::step);
            Map<String, String> ready = settledRemains();
            Shell.Result crashed = crashAfter(n, operation);
            if (crashed.exit() != 137) {
                crashed.ok();
                teardown.forEach(this::step);
                break;
            }
            crashes++;
            ctrnet.ok("system", "prune");
            assertSame(ready, label + " crashed after change " + n);
            ctrnet.ok(operation); // the same name, address and port, at once
            teardown.forEach(this::step);
        }
        record(label, crashes);
    }

    /**
     * Crashes {@code operation} after each of its changes in turn, each time from the state {@code setup} makes;
     * after each crash, prune must finish it, which leaves the state before {@code setup}. The next round's
     * setup uses the same names, addresses and ports again.
     */
    private void finished(String label, List<List<String>> setup, String[] operation) {
        // once in full first: what stays for good (the runtime folder's shared mounts, a name server) is there
        setup.forEach(this::step);
        ctrnet.ok(operation);
        int crashes = 0;
        for (int n = 1; ; n++) {
            Map<String, String> before = settledRemains();
            setup.forEach(this::step);
            Shell.Result crashed = crashAfter(n, operation);
            if (crashed.exit() != 137) {
                crashed.ok();
                assertSame(before, label + " done in full");
                break;
            }
            crashes++;
            ctrnet.ok("system", "prune");
            assertSame(before, label + " crashed after change " + n);
        }
        record(label, crashes);
    }

    private void record(String label, int crashes) {
        assertTrue(crashes > 0, label + " made no change");
        covered.put(label, crashes);
    }

    /** A ctrnet command, {@code ip} as a third party, or {@code CRASH N ARGS...}: ctrnet crashed after change N. */
    private void step(List<String> command) {
        if (command.get(0).equals("ip")) {
            Shell.run(command).ok();
        } else if (command.get(0).equals("CRASH")) {
            Shell.Result crashed = crashAfter(Integer.parseInt(command.get(1)),
                    command.subList(2, command.size()).toArray(String[]::new));
            assertEquals(137, crashed.exit(), "the setup's command crashed: " + crashed.err());
        } else {
            ctrnet.ok(command.toArray(String[]::new));
        }
    }

    private Shell.Result crashAfter(int change, String... args) {
        return ctrnet.runWith(Map.of("CTRNET_CRASH_AFTER_CHANGE", Integer.toString(change)), args);
    }

    /** Waits until nothing differs from {@code expected} (a deleted namespace's veth goes in the background). */
    private void assertSame(Map<String, String> expected, String when) {
        if (!Eventually.holds(() -> remains().equals(expected))) {
            Map<String, String> now = remains();
            StringBuilder diff = new StringBuilder();
            expected.forEach((part, was) -> {
                if (!was.equals(now.get(part))) {
                    diff.append(part).append(":\n").append(was).append("\n->\n").append(now.get(part)).append('\n');
                }
            });
            throw new AssertionError(backend + ": " + when + ", then system prune, left:\n" + diff);
        }
    }

    /**
     * {@link #remains()} once the host's container cables are those the records name: the kernel takes a
     * removed container's away in the background, after its namespace is gone.
     */
    private Map<String, String> settledRemains() {
        Path containers = ctrnet.root().resolve("containers");
        assertTrue(Eventually.holds(() -> cables().equals(recordedCables(containers))),
                "the host's cables " + cables() + " are those of the records " + recordedCables(containers));
        return remains();
    }

    /** The host ends of the containers' cables. */
    private static Set<String> cables() {
        return Json.array(Shell.run(List.of("ip", "-j", "link")).ok().out()).stream().map(l -> (String) l.get("ifname"))
                .filter(name -> name.startsWith("ve-")).collect(Collectors.toSet());
    }

    /** The host ends of the cables that the containers' records name. */
    private static Set<String> recordedCables(Path containers) {
        Set<String> named = new TreeSet<>();
        for (Path container : list(containers)) {
            Path record = container.resolve("config.json");
            try {
                Matcher m = HOST_INTERFACE.matcher(Files.exists(record) ? Files.readString(record) : "");
                while (m.find()) {
                    named.add(m.group(1));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return named;
    }

    /** What a crash could leave behind, part by part, as a user would look at it. */
    private Map<String, String> remains() {
        Map<String, String> parts = new TreeMap<>();
        parts.put("files", files(ctrnet.root()));
        parts.put("name records", files(NAME_RECORDS));
        HostSnapshot host = HostSnapshot.of(ctrnet.root()).kernel();
        parts.put("links", host.links());
        parts.put("namespaces", host.namespaces());
        parts.put("nftables", host.nftables());
        parts.put("iptables", host.iptables());
        parts.put("masters", masters(List.of()));
        parts.put("addresses", addresses(List.of()));
        parts.put("routes", routes(List.of()));
        for (Path netns : list(ctrnet.root().resolve("run/netns"))) {
            List<String> inside = List.of("nsenter", "--net=" + netns);
            parts.put("inside " + netns.getFileName(), masters(inside) + addresses(inside) + routes(inside));
        }
        parts.put("mounts", mounts());
        parts.put("processes", processes());
        return parts;
    }

    /** Each file under {@code dir} with a digest of its content; the firewall header's random generation left out. */
    private static String files(Path dir) {
        if (!Files.exists(dir)) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        try {
            for (Path p : StateFiles.walk(dir).stream().sorted().toList()) {
                String name = dir.relativize(p).toString();
                // where IPAM starts its next search, and the service's lines: see HostSnapshot; and a network's lease
                // folder, made by its first lease and kept when that goes (a lease is a file in it)
                if (!name.matches("ipam/[^/]+/last6?|ipam/[^/]+") && !name.startsWith("run/service")) {
                    out.append(name).append(' ').append(Files.isDirectory(p) ? "dir" : digest(p)).append('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String digest(Path file) {
        try {
            String content = Files.readString(file).replaceAll("\"generation\" ?: ?\"[0-9a-f]+\"", "");
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes()));
        } catch (IOException e) {
            return "unreadable"; // a namespace's bind mount counts by its presence
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Each link and its master. */
    private static String masters(List<String> prefix) {
        return Json.array(out(prefix, "ip", "-j", "link")).stream()
                .map(l -> l.get("ifname") + (l.containsKey("master") ? " master " + l.get("master") : ""))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    /** Each address but the link-local ones, which follow a link's random MAC. */
    private static String addresses(List<String> prefix) {
        return out(prefix, "ip", "-o", "addr", "show").lines().filter(l -> !l.contains("scope link"))
                .map(l -> String.join(" ", List.of(l.trim().split("\\s+")).subList(1, 4)))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    /** Every IPv4 and IPv6 route but the link-local ones, without the carrier's "linkdown". */
    private static String routes(List<String> prefix) {
        return Stream.concat(out(prefix, "ip", "-4", "route").lines(), out(prefix, "ip", "-6", "route").lines())
                .filter(l -> !l.startsWith("fe80:") && !l.startsWith("multicast"))
                .map(l -> l.replace(" linkdown", ""))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    /** The mount points under the state root. */
    private String mounts() {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(l -> l.split(" ")[4])
                    .filter(m -> m.startsWith(ctrnet.root().toString())).sorted()
                    .collect(Collectors.joining("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The processes of this root (name servers), of the tests' containers and of their ports' proxies; not the service. */
    private String processes() {
        return Shell.run(List.of("ps", "-eo", "args")).ok().out().lines()
                .filter(l -> (l.contains(ctrnet.root().toString()) && !l.contains("service serve"))
                        || l.contains("sleep " + MARKER) || l.matches(".*LISTEN:89[5-9][0-9].*"))
                .filter(l -> !l.startsWith("ps "))
                .sorted().collect(Collectors.joining("\n"));
    }

    private static String out(List<String> prefix, String... command) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(command));
        return Shell.run(cmd).ok().out();
    }

    private static List<Path> list(Path dir) {
        try {
            return StateFiles.list(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
