package dev.ctrnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.testing.Privileged;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ctrnet killed (as by kill -9) between any two steps of run, rm and network create: system prune,
 * or any next command, leaves nothing behind — no namespace mount, lease, veth, rule or record —
 * and the name, address and port can be used again. (After every change, rather than at these named
 * points: {@link CrashAtEveryChangeContract}.)
 */
@Privileged
class CrashIT {
    private static final Ctrnet CTRNET = new Ctrnet(Path.of("/run/ctrnet-test/crash-it"));

    @BeforeAll
    static void host() {
        TestHost.ensure();
    }

    @ParameterizedTest
    @ValueSource(strings = {"run-uts", "run-netns", "run-lease", "run-attach", "write-config.json", "run-record",
        "run-files", "run-firewall"})
    void aRunKilledAtAnyStepIsReclaimedByPrune(String point) throws IOException {
        var crashed = CTRNET.runCrashingAt(point, "run", "-d", "--name", "victim", "-p", "8900:80", "--", "sleep", "300");
        assertEquals(137, crashed.exit(), "it died at " + point + ": " + crashed.err());
        CTRNET.ok("system", "prune");
        assertNothingLeft("victim", 8900);
        CTRNET.ok("run", "-d", "--name", "victim", "-p", "8900:80", "--", "sleep", "300");
        CTRNET.ok("rm", "-f", "victim");
        assertNothingLeft("victim", 8900);
    }

    /** Killed after writing the container's record and files: the next command, whichever, walks the run back. */
    @Test
    void aRunKilledAfterItsFilesIsWalkedBackByTheNextCommand() throws IOException {
        var crashed = CTRNET.runCrashingAt("run-files", "run", "-d", "--name", "filed", "-p", "8903:80", "--", "sleep", "300");
        assertEquals(137, crashed.exit(), crashed.err());
        CTRNET.ok("ps", "-a");
        assertNothingLeft("filed", 8903);
    }

    /**
     * Killed once the container's process runs but before its PID is recorded: prune must stop the process and
     * its monitor, or its veth would stay on the bridge with an address and MAC that prune gives the next one.
     */
    @Test
    void aRunKilledAfterItsProcessStartedIsStoppedByPrune() throws IOException {
        // a command line of this test run's own, to find the container's process and its monitor by
        String seconds = Long.toString(100_000 + ProcessHandle.current().pid());
        List<String> processes = List.of("pgrep", "-f", "sleep " + seconds);
        var crashed = CTRNET.runCrashingAt("run-started", "run", "-d", "--name", "started", "-p", "8902:80", "--",
                "sleep", seconds);
        assertEquals(137, crashed.exit(), crashed.err());
        assertTrue(Eventually.holds(() -> Shell.run(List.of("pgrep", "-f", "^[^ ]*sleep " + seconds + "$")).exit() == 0),
                "the container's command runs");
        CTRNET.ok("system", "prune");
        assertNothingLeft("started", 8902);
        assertTrue(Eventually.holds(() -> Shell.run(processes).exit() == 1), "the container's process and its monitor are gone");
        CTRNET.ok("run", "-d", "--name", "started", "-p", "8902:80", "--", "sleep", "300");
        CTRNET.ok("rm", "-f", "started");
        assertNothingLeft("started", 8902);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rm-firewall", "rm-leases", "rm-namespaces"})
    void anRmKilledAtAnyStepIsFinishedByTheNextCommand(String point) throws IOException {
        CTRNET.ok("run", "-d", "--name", "victim", "-p", "8901:80", "--", "sleep", "300");
        assertEquals(137, CTRNET.runCrashingAt(point, "rm", "-f", "victim").exit(), "it died at " + point);
        CTRNET.ok("ps", "-a");
        assertNothingLeft("victim", 8901);
    }

    @ParameterizedTest
    @ValueSource(strings = {"network-record", "network-bridge"})
    void aNetworkCreateKilledAtAnyStepIsWalkedBackByTheNextCommand(String point) {
        var crashed = CTRNET.runCrashingAt(point, "network", "create", "--subnet", "10.60.0.0/24", "--opt",
                "bridge=crashbr", "halfmade");
        assertEquals(137, crashed.exit(), "it died at " + point);
        CTRNET.ok("network", "ls");
        Leftovers.assertNoNetwork(CTRNET, "halfmade", "crashbr");
        CTRNET.ok("network", "create", "--subnet", "10.60.0.0/24", "--opt", "bridge=crashbr", "halfmade");
        CTRNET.ok("network", "rm", "halfmade");
    }

    /**
     * Killed once its record is written but before its bridge is made, a network create is walked back by its journal
     * (no record, no bridge, the name free again); and a network whose bridge a third party deleted gets it back from
     * {@code system prune}, so that the kernel is what the state says (found by the random sequences, issue 10).
     */
    @Test
    void aNetworkCreateKilledAfterItsRecordIsWalkedBackAndPruneMakesAMissingBridge() throws IOException {
        var crashed = CTRNET.runCrashingAt("network-record", "network", "create", "--subnet", "10.69.0.0/24", "--opt",
                "bridge=crashbr3", "recorded");
        assertEquals(137, crashed.exit(), "it died at network-record");
        CTRNET.ok("system", "prune");
        Leftovers.assertNoNetwork(CTRNET, "recorded", "crashbr3");

        CTRNET.ok("network", "create", "--subnet", "10.69.0.0/24", "--opt", "bridge=crashbr3", "recorded");
        Shell.run(List.of("ip", "link", "del", "crashbr3")).ok();
        CTRNET.ok("system", "prune");
        assertTrue(Shell.run(List.of("ip", "-o", "addr", "show", "crashbr3")).ok().out().contains("10.69.0.1/24"),
                "prune made the bridge the record names, with its gateway");
        CTRNET.ok("run", "-d", "--name", "on-recorded", "--network", "recorded", "-p", "8904:80", "--", "sleep", "300");
        CTRNET.ok("rm", "-f", "on-recorded");
        Leftovers.assertNoContainer(CTRNET, "on-recorded", "recorded", 8904);
        CTRNET.ok("network", "rm", "recorded");
        Leftovers.assertNoNetwork(CTRNET, "recorded", "crashbr3");
    }

    /** A killed write leaves its temporary file, which prune reaps; the network's name is free again. */
    @Test
    void aNetworkCreateKilledWhileWritingItsRecordLeavesNoTemporaryFile() throws IOException {
        var crashed = CTRNET.runCrashingAt("write-tmpfile.json", "network", "create", "--subnet", "10.61.0.0/24",
                "--opt", "bridge=tmpfilebr", "tmpfile");
        assertEquals(137, crashed.exit(), "it died at write-tmpfile.json");
        assertFalse(temporaryFiles().isEmpty(), "the kill left a temporary file");
        CTRNET.ok("system", "prune");
        assertEquals(List.of(), temporaryFiles());
        CTRNET.ok("network", "create", "--subnet", "10.61.0.0/24", "--opt", "bridge=tmpfilebr", "tmpfile");
        CTRNET.ok("network", "rm", "tmpfile");
        Leftovers.assertNoNetwork(CTRNET, "tmpfile", "tmpfilebr");
    }

    private static List<Path> temporaryFiles() throws IOException {
        try (Stream<Path> all = Files.walk(CTRNET.root())) {
            return all.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    private static void assertNothingLeft(String name, int port) throws IOException {
        Leftovers.assertNoContainer(CTRNET, name, "bridge", port);
    }
}
