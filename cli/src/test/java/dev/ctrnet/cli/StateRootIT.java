package dev.ctrnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.testing.Privileged;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What ctrnet keeps on disk: files only root may change (and, where they hold secrets, read), and a
 * runtime folder of its own, so that {@code system prune} only ever removes what ctrnet made.
 */
@Privileged
class StateRootIT {
    private static final Path ROOTS = Path.of("/run/ctrnet-test/state-root-it");

    @BeforeAll
    static void host() {
        TestHost.ensure();
    }

    @Test
    void whatCtrnetWritesIsForRootAloneAndTheLogToo() throws IOException {
        Ctrnet ctrnet = new Ctrnet(ROOTS.resolve("modes"));
        ctrnet.ok("network", "create", "--subnet", "10.66.0.0/24", "--opt", "bridge=modesbr", "modes");
        ctrnet.ok("run", "-d", "--name", "talker", "--network", "modes", "-p", "8096:80", "-e", "TOKEN=s3cret", "--",
                "sh", "-c", "echo the token is $TOKEN; exec sleep 300");
        try {
            assertTrue(Eventually.holds(() -> ctrnet.ok("logs", "talker").contains("the token is s3cret")));
            Path dir = ctrnet.root().resolve("containers/talker");
            assertEquals("rw-------", mode(dir.resolve("log")), "what a container prints is root's alone");
            assertEquals("rw-------", mode(dir.resolve("config.json")));
            for (String etc : List.of("hosts", "hostname", "resolv.conf")) {
                assertEquals("rw-r--r--", mode(dir.resolve(etc)), etc + " is read by the container's own users");
            }
            for (Path p : StateFiles.walk(ctrnet.root())) {
                if (Files.isSymbolicLink(p)) {
                    continue; // Linux ignores a link's own mode: its folder's says who may change it
                }
                String mode;
                try {
                    mode = mode(p);
                } catch (NoSuchFileException gone) {
                    continue; // a service line's pipe, made anew after each command
                }
                assertFalse(mode.charAt(4) == 'w' || mode.charAt(7) == 'w', p + " is writable by others: " + mode);
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    assertEquals("rwx------", mode, p.toString());
                }
            }
            Path lease = ctrnet.root().resolve("ipam/modes/" + ctrnet.inspect("talker").get("ip"));
            for (Path record : List.of(lease, ctrnet.root().resolve("networks/modes.json"),
                    ctrnet.root().resolve("firewall.json"), ctrnet.root().resolve("lock"))) {
                assertEquals("rw-------", mode(record), record.toString());
            }
        } finally {
            ctrnet.ok("rm", "-f", "talker");
            ctrnet.ok("network", "rm", "modes");
        }
    }

    /**
     * Looking changes nothing: on a fresh root, listing and inspecting make neither the default bridge nor a
     * rule; the default network, once a container makes it, is the one they showed.
     */
    @Test
    void readOnlyCommandsLeaveTheKernelAlone() {
        Ctrnet ctrnet = new Ctrnet(ROOTS.resolve("read-only"));
        HostSnapshot before = HostSnapshot.of(ctrnet.root()).kernel();
        String listed = ctrnet.ok("network", "ls");
        for (String builtIn : List.of("bridge", "host", "none")) {
            assertTrue(listed.contains(" " + builtIn + " "), listed);
        }
        Map<String, Object> shown = Json.object(ctrnet.ok("network", "inspect", "bridge"));
        ctrnet.ok("network", "ls", "--format", "json");
        ctrnet.ok("ps", "-a");
        ctrnet.run("inspect", "nothing").refused();
        ctrnet.run("port", "nothing").refused();
        assertEquals("", HostSnapshot.of(ctrnet.root()).kernel().differencesFrom(before), "a read-only command changed it");
        ctrnet.ok("run", "--rm", "--", "true");
        assertEquals(shown, Json.object(ctrnet.ok("network", "inspect", "bridge")));
    }

    /**
     * {@code --root /var} played safely: a root whose {@code run} leads to the sandbox's {@code /run}, as
     * {@code /var/run} does, where {@code ip netns add} keeps its namespaces.
     */
    @Test
    void pruneLeavesNamespacesItDidNotMakeWhenTheRunFolderIsShared() throws IOException {
        Path root = ROOTS.resolve("shared-run");
        Files.createDirectories(root);
        if (!Files.isSymbolicLink(root.resolve("run"))) {
            Files.createSymbolicLink(root.resolve("run"), Path.of("/run"));
        }
        Ctrnet ctrnet = new Ctrnet(root);
        Shell.run(List.of("ip", "netns", "add", "foreign-it")).ok();
        try {
            ctrnet.ok("run", "-d", "--name", "kept", "--", "sleep", "300");
            ctrnet.ok("run", "-d", "--name", "crashed", "--", "sleep", "300");
            Map<String, Object> crashed = ctrnet.inspect("crashed");
            Path crashedNetns = Path.of((String) crashed.get("netns"));
            assertFalse(crashedNetns.startsWith(Path.of("/run/netns")), "not in ip's folder: " + crashedNetns);
            // a crash: the process is killed and its record lost, its namespace mounts are left behind
            Shell.run(List.of("kill", "-KILL", String.valueOf(crashed.get("pid")))).ok();
            StateFiles.loseRecord(root, "crashed");

            String pruned = ctrnet.ok("system", "prune");
            assertTrue(pruned.contains("removed netns mount " + crashedNetns), pruned);
            assertFalse(pruned.contains("foreign-it") || pruned.contains("/run/netns/"), pruned);
            assertTrue(isMountPoint(Path.of("/run/netns/foreign-it")), "the foreign namespace is still mounted");
            assertTrue(isMountPoint(Path.of("/run/netns/" + TestHost.OUTSIDE_NS)), "so is the test's outside world");
            assertEquals("running", ctrnet.inspect("kept").get("state"));
        } finally {
            ctrnet.run("rm", "-f", "kept");
            Shell.run(List.of("ip", "netns", "del", "foreign-it"));
        }
    }

    @Test
    void pruneLeavesAMountInItsRunFolderThatIsNotNamedLikeItsOwn() throws IOException {
        Ctrnet ctrnet = new Ctrnet(ROOTS.resolve("own-run"));
        ctrnet.ok("run", "--rm", "--", "true");
        Path foreign = ctrnet.root().resolve("run/netns/foreign");
        Files.createFile(foreign);
        Shell.run(List.of("unshare", "--net=" + foreign, "true")).ok();
        try {
            String pruned = ctrnet.ok("system", "prune");
            assertFalse(pruned.contains(foreign.toString()), pruned);
            assertTrue(isMountPoint(foreign), "a mount ctrnet did not make is left alone");
        } finally {
            Shell.run(List.of("umount", foreign.toString()));
            Files.deleteIfExists(foreign);
        }
    }

    private static boolean isMountPoint(Path path) {
        return Shell.run(List.of("mountpoint", "-q", path.toString())).exit() == 0;
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }
}
