package dev.ctrnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.testing.Privileged;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 8's holes 8, 9 and 10 through the real CLI: a container runs with Docker's capabilities and
 * no_new_privs, a {@code --rootfs} is entered with pivot_root and cannot be left, a root file
 * system's symbolic links lead nothing out of it, and {@code exec} hands the container's environment
 * to its command alone.
 */
@Privileged
class HardeningIT {
    private static final Ctrnet CTRNET = new Ctrnet(Path.of("/run/ctrnet-test/hardening-it"));
    private static final Path SCRATCH = Path.of("/run/ctrnet-test/hardening-files");
    /** Docker's default set: CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, SETGID, SETUID, SETPCAP, NET_BIND_SERVICE, NET_RAW, SYS_CHROOT, MKNOD, AUDIT_WRITE, SETFCAP. */
    private static final String DOCKER_DEFAULTS = "00000000a80425fb";
    private static final long NET_ADMIN = 1L << 12;
    private static final long NET_RAW = 1L << 13;

    @AfterAll
    static void nothingLeftBehind() throws IOException {
        for (Map<String, Object> c : Json.array(CTRNET.ok("ps", "-a", "--format", "json"))) {
            CTRNET.ok("rm", "-f", (String) c.get("name"));
        }
        assertEquals(List.of(), StateFiles.list(CTRNET.root().resolve("containers")), "records left");
    }

    @Test
    void theCommandHasDockersCapabilitiesAndNoNewPrivileges() {
        Map<String, String> status = status(CTRNET.ok("run", "--rm", "--network", "none", "--", "cat", "/proc/self/status"));
        assertEquals(DOCKER_DEFAULTS, status.get("CapEff"), status.toString());
        assertEquals(DOCKER_DEFAULTS, status.get("CapPrm"));
        assertEquals(DOCKER_DEFAULTS, status.get("CapBnd"));
        assertEquals("0000000000000000", status.get("CapInh"), "nothing inheritable is left from the launch");
        assertEquals("0000000000000000", status.get("CapAmb"));
        assertEquals("1", status.get("NoNewPrivs"));
    }

    @Test
    void capDropTakesACapabilityAwayAndCapAddGivesOne() {
        String ping = "ping -c1 -W2 127.0.0.1 >/dev/null 2>&1 && echo ping-ok || echo ping-refused; "
                + "ip link set lo mtu 9000 2>/dev/null && echo admin-ok || echo admin-refused; grep CapEff /proc/self/status";
        String plain = CTRNET.ok("run", "--rm", "--network", "none", "--", "sh", "-c", ping);
        assertTrue(plain.contains("ping-ok") && plain.contains("admin-refused"), "Docker's defaults: NET_RAW, no NET_ADMIN: " + plain);
        String dropped = CTRNET.ok("run", "--rm", "--network", "none", "--cap-drop", "NET_RAW", "--", "sh", "-c", ping);
        assertTrue(dropped.contains("ping-refused"), dropped);
        assertEquals(0, capEff(dropped) & NET_RAW, dropped);
        String added = CTRNET.ok("run", "--rm", "--network", "none", "--cap-add", "cap_net_admin", "--", "sh", "-c", ping);
        assertTrue(added.contains("admin-ok") && added.contains("ping-ok"), added);
        assertEquals(Long.parseLong(DOCKER_DEFAULTS, 16) | NET_ADMIN, capEff(added));
        String none = CTRNET.ok("run", "--rm", "--network", "none", "--cap-drop", "ALL", "--cap-add", "KILL", "--",
                "grep", "CapEff", "/proc/self/status");
        assertEquals(1L << 5, capEff(none), "--cap-drop ALL keeps only what is added: " + none);
        var unknown = CTRNET.run("run", "--rm", "--network", "none", "--cap-add", "NET_WIZARD", "--", "true");
        assertNotEquals(0, unknown.exit());
        assertEquals(1, unknown.err().lines().count(), unknown.err());
        assertTrue(unknown.err().startsWith("ctrnet: unknown capability 'NET_WIZARD'"), unknown.err());
    }

    @Test
    void privilegedKeepsEveryCapabilityAndMayGainPrivileges() throws IOException {
        Map<String, String> ours = status(Files.readString(Path.of("/proc/self/status")));
        Map<String, String> status = status(CTRNET.ok("run", "--rm", "--network", "none", "--privileged", "--",
                "cat", "/proc/self/status"));
        assertEquals(ours.get("CapEff"), status.get("CapEff"), "what ctrnet itself has");
        assertEquals(ours.get("CapBnd"), status.get("CapBnd"));
        assertEquals("0", status.get("NoNewPrivs"));
    }

    @Test
    void execRunsWithTheContainersCapabilitiesAndNoNewPrivileges() {
        CTRNET.ok("run", "-d", "--name", "capped", "--network", "none", "--cap-drop", "NET_RAW", "--", "sleep", "300");
        Map<String, String> status = status(CTRNET.ok("exec", "capped", "--", "cat", "/proc/self/status"));
        assertEquals(Long.parseLong(DOCKER_DEFAULTS, 16) & ~NET_RAW, Long.parseLong(status.get("CapEff"), 16));
        assertEquals(status.get("CapEff"), status.get("CapBnd"));
        assertEquals("0000000000000000", status.get("CapInh"));
        assertEquals("1", status.get("NoNewPrivs"));
        Map<String, Object> inspect = CTRNET.inspect("capped");
        assertEquals(false, inspect.get("privileged"));
        assertFalse(((List<?>) inspect.get("capabilities")).contains("CAP_NET_RAW"), inspect.toString());
        // a first process that changed its user is no longer dumpable: exec must still get in, as Docker's does
        CTRNET.ok("run", "-d", "--name", "nobody", "--network", "none", "--", "setpriv", "--reuid=65534",
                "--regid=65534", "--clear-groups", "sleep", "300");
        assertEquals(DOCKER_DEFAULTS, status(CTRNET.ok("exec", "nobody", "--", "cat", "/proc/self/status")).get("CapEff"));
        CTRNET.ok("rm", "-f", "capped", "nobody");
    }

    @Test
    void execHandsTheContainersEnvironmentToItsCommandAlone() {
        String preload = "/nonexistent/ctrnet-evil.so";
        var probe = Shell.run(List.of("env", "LD_PRELOAD=" + preload, "LD_DEBUG=files", "nsenter", "--version"));
        assertTrue(probe.err().contains("ctrnet-evil.so"), "the probe shows a host tool that got it: " + probe.err());
        var run = CTRNET.run("run", "-d", "--name", "envy", "--network", "none", "-e", "LD_PRELOAD=" + preload, "-e",
                "LD_DEBUG=files", "--", "sleep", "300");
        assertEquals(0, run.exit(), run.err());
        assertLoadedNothing(run);
        // busybox is static: the command itself loads nothing, so any loader output would be a host tool's
        var exec = CTRNET.run("exec", "envy", "--", "/bin/busybox", "sh", "-c", "echo \"$LD_PRELOAD|$LD_DEBUG\"");
        assertEquals(0, exec.exit(), exec.err());
        assertEquals(preload + "|files", exec.out().trim(), "the command gets the environment");
        assertLoadedNothing(exec);
        CTRNET.ok("rm", "-f", "envy");
    }

    @Test
    void rootfsIsPivotedIntoAndAChrootEscapeFindsNoWayOut() throws IOException {
        Path rootfs = BusyboxRoot.make(SCRATCH.resolve("escape-root"));
        // the classic escape: chroot into a folder while the working folder stays outside it, climb
        // with .. and chroot there; against a plain chroot it reaches the host's root
        String escape = "mkdir -p /x/bin && cp /bin/busybox /x/bin/ && nsenter -r/x -w/ -F /bin/busybox sh -c "
                + "'cd ../../../../../..; exec /bin/busybox chroot . /bin/busybox ls /'; echo ---; cat /proc/self/mountinfo";
        String out = CTRNET.ok("run", "--rm", "--network", "none", "--rootfs", rootfs.toString(), "--", "sh", "-c", escape);
        String[] parts = out.split("---\n");
        assertEquals(List.of("bin", "dev", "etc", "proc", "x"), List.of(parts[0].trim().split("\\s+")),
                "the climb ends at the container's own root: " + parts[0]);
        Set<String> mountPoints = Set.copyOf(parts[1].lines().map(l -> l.split(" ")[4]).toList());
        Set<String> expected = new java.util.HashSet<>(Set.of("/", "/proc", "/dev", "/dev/shm", "/etc/hosts",
                "/etc/hostname", "/etc/resolv.conf"));
        // the host-wide parts of /proc, which this kernel has, bound read-only onto themselves
        Stream.of("sys", "sysrq-trigger", "irq", "bus").filter(p -> Files.exists(Path.of("/proc", p)))
                .forEach(p -> expected.add("/proc/" + p));
        assertEquals(expected, mountPoints, "none of the host's mounts: " + parts[1]);
    }

    @Test
    void aContainerWithoutRootfsHoldsNoNamespaceMountOfTheRuntimeFolder() {
        CTRNET.ok("run", "-d", "--name", "neighbour", "--network", "none", "--", "sleep", "300");
        String mounts = CTRNET.ok("run", "--rm", "--network", "none", "--", "cat", "/proc/self/mountinfo");
        assertFalse(mounts.contains(CTRNET.root().resolve("run").toString()),
                "another container's namespace would live on in this one: " + mounts);
        CTRNET.ok("rm", "-f", "neighbour");
    }

    @Test
    void symbolicLinksInARootfsLeadNothingOutOfIt() throws IOException {
        Path hostEtc = Files.createDirectories(SCRATCH.resolve("host-etc"));
        Files.writeString(hostEtc.resolve("keep"), "the host's\n");
        Path hostFiles = Files.createDirectories(SCRATCH.resolve("host-files"));
        Files.writeString(hostFiles.resolve("hosts"), "203.0.113.9 the-hosts-own\n");
        Files.writeString(hostFiles.resolve("hostname"), "the-hosts-own\n");
        Map<Path, String> before = snapshot(hostEtc, hostFiles);

        // etc itself is a link to a folder of the host's
        Path linkedEtc = BusyboxRoot.make(SCRATCH.resolve("linked-etc-root"));
        Files.delete(linkedEtc.resolve("etc"));
        Files.createSymbolicLink(linkedEtc.resolve("etc"), hostEtc);
        String etcOut = CTRNET.ok("run", "--rm", "--network", "none", "--hostname", "linkbox", "--rootfs",
                linkedEtc.toString(), "--", "sh", "-c", "cat /etc/hostname /etc/hosts");
        assertTrue(etcOut.startsWith("linkbox\n") && etcOut.contains("localhost"), "the container's own files: " + etcOut);
        assertTrue(Files.isRegularFile(linkedEtc.resolve(hostEtc.toString().substring(1)).resolve("hosts")),
                "the link was followed inside the root file system");

        // the files are links out: absolute, climbing with .., and dangling
        Path linkedFiles = BusyboxRoot.make(SCRATCH.resolve("linked-files-root"));
        Files.createSymbolicLink(linkedFiles.resolve("etc/hosts"), hostFiles.resolve("hosts"));
        Files.createSymbolicLink(linkedFiles.resolve("etc/hostname"), Path.of("../../../../.." + hostFiles.resolve("hostname")));
        Files.createSymbolicLink(linkedFiles.resolve("etc/resolv.conf"), hostFiles.resolve("dangling"));
        String filesOut = CTRNET.ok("run", "--rm", "--network", "none", "--hostname", "linkbox", "--rootfs",
                linkedFiles.toString(), "--", "sh", "-c", "cat /etc/hostname /etc/hosts /etc/resolv.conf");
        assertTrue(filesOut.startsWith("linkbox\n") && !filesOut.contains("the-hosts-own"), filesOut);

        assertEquals(before, snapshot(hostEtc, hostFiles), "nothing written to the host's folders");
        assertFalse(Files.exists(hostFiles.resolve("dangling")), "the dangling link's target was made inside, not here");
        assertFalse(Shell.run(List.of("cat", "/proc/self/mountinfo")).ok().out().contains(SCRATCH + "/"),
                "nothing mounted on the host's side");

        // /proc and /dev are mounted before the root is in place: a link there is refused, nothing made
        for (String mountPoint : List.of("proc", "dev")) {
            Path linked = BusyboxRoot.make(SCRATCH.resolve("linked-" + mountPoint + "-root"));
            if (Files.exists(linked.resolve(mountPoint))) {
                StateFiles.deleteTree(linked.resolve(mountPoint));
            }
            Files.createSymbolicLink(linked.resolve(mountPoint), hostEtc);
            var refused = CTRNET.run("run", "--rm", "--network", "none", "--name", "linked-" + mountPoint, "--rootfs",
                    linked.toString(), "--", "true");
            assertNotEquals(0, refused.exit());
            assertEquals(1, refused.err().lines().count(), refused.err());
            assertTrue(refused.err().startsWith("ctrnet: --rootfs " + linked + ": " + mountPoint + " is a symbolic link"),
                    refused.err());
            assertNotEquals(0, CTRNET.run("inspect", "linked-" + mountPoint).exit(), "no record is left");
        }
        assertEquals(before, snapshot(hostEtc, hostFiles));
    }

    @Test
    void theHostWidePartsOfProcAreReadOnlyUnlessPrivileged() throws IOException {
        // a sysctl of the container's own network namespace: the write changes nothing outside it, so the
        // test is harmless whatever happens; the mount of /proc/sys decides whether it may be written
        String write = "echo 1 > /proc/sys/net/ipv4/ip_forward && echo written";
        Path root = BusyboxRoot.make(SCRATCH.resolve("proc-sys-root"));
        for (List<String> rootfs : List.of(List.<String>of(), List.of("--rootfs", root.toString()))) {
            List<String> run = new ArrayList<>(List.of("run", "--rm", "--network", "none"));
            run.addAll(rootfs);
            Shell.Result confined = CTRNET.run(concat(run, List.of("--", "sh", "-c", write)));
            assertNotEquals(0, confined.exit(), rootfs + ": " + confined.out());
            assertTrue(confined.err().contains("Read-only file system"), rootfs + ": " + confined.err());
            Shell.Result privileged = CTRNET.run(concat(run, List.of("--privileged", "--", "sh", "-c", write)));
            assertEquals("written\n", privileged.ok().out(), rootfs + ": privileged");
        }
        // the older launch chain: a detached container started in-process, which must outlive its JVM
        Shell.Result detached = CTRNET.runWith(Map.of("CTRNET_NO_DAEMON", "1"), "run", "-d", "--name", "proc-sys",
                "--network", "none", "--", "sh", "-c", write + "; echo status=$?");
        detached.ok();
        assertTrue(Eventually.holds(() -> CTRNET.run("logs", "proc-sys").out().contains("status=")), "it ended");
        String log = CTRNET.ok("logs", "proc-sys");
        assertTrue(log.contains("Read-only file system") && !log.contains("written"), log);
        CTRNET.ok("rm", "-f", "proc-sys");
    }

    private static String[] concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all.toArray(String[]::new);
    }

    @Test
    void linksThroughProcsMagicLinksLeadNothingOutOfARootfs() throws IOException {
        // /proc/1/cwd is the folder of the container's first process: were it still ctrnet's while the
        // /etc files are bound, these links would make files there, and beside it, as root
        Path cwd = Files.createDirectories(SCRATCH.resolve("magic-links/ctrnet-cwd"));
        Path root = BusyboxRoot.make(SCRATCH.resolve("proc-link-root"));
        for (String file : List.of("hosts", "hostname")) {
            Files.deleteIfExists(root.resolve("etc").resolve(file));
        }
        Files.createSymbolicLink(root.resolve("etc/hosts"), Path.of("/proc/1/cwd/escaped-hosts"));
        Files.createSymbolicLink(root.resolve("etc/hostname"), Path.of("/proc/1/cwd/../escaped/hostname"));
        List<String> inCwd = new ArrayList<>(List.of("sh", "-c", "cd \"$0\" && exec \"$@\"", cwd.toString()));
        inCwd.addAll(CTRNET.command("run", "--rm", "--network", "none", "--rootfs", root.toString(), "--", "sh", "-c", "true"));
        Shell.Result run = Shell.run(inCwd, 120, Map.of("CTRNET_NO_DAEMON", "1"));
        assertFalse(Files.exists(cwd.resolve("escaped-hosts")), "a file made in ctrnet's working folder: " + run.err());
        assertFalse(Files.exists(cwd.resolveSibling("escaped")), "a folder made beside it: " + run.err());
    }

    /** No dynamic loader was told to preload or trace anything: its messages name the library, or say {@code file=}. */
    private static void assertLoadedNothing(Shell.Result result) {
        assertFalse(result.err().contains("ctrnet-evil.so") || result.err().contains("file="), result.err());
    }

    /** The fields of a {@code /proc/PID/status}. */
    private static Map<String, String> status(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        text.lines().filter(l -> l.contains(":")).forEach(l -> fields.put(l.substring(0, l.indexOf(':')),
                l.substring(l.indexOf(':') + 1).trim()));
        return fields;
    }

    private static long capEff(String output) {
        return Long.parseLong(status(output).get("CapEff"), 16);
    }

    /** Every file under the folders, with its content. */
    private static Map<Path, String> snapshot(Path... dirs) throws IOException {
        Map<Path, String> files = new TreeMap<>();
        for (Path dir : dirs) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.toList()) {
                    files.put(p, Files.isRegularFile(p) ? Files.readString(p) : "(folder)");
                }
            }
        }
        return files;
    }
}
