package dev.ctrnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.testing.Privileged;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A firewall tool that hangs (stuck on a lock, say) never hangs ctrnet: the command fails once the
 * tool's timeout has passed, with one line naming the tool, and leaves nothing behind, not even the
 * tool's own processes.
 */
@Privileged
class HungToolIT {
    private static final Path BIN = Path.of("/run/ctrnet-test/hung-tool-bin");
    /** What the stubs sleep for: a number no other test uses, so their processes can be told apart. */
    private static final String SLEEP = "6061";
    private static final int TIMEOUT_SECONDS = 2;
    /** Well under the default timeout, so passing shows the short one was used; generous for a busy machine. */
    private static final Duration IN_TIME = Duration.ofSeconds(20);

    @BeforeAll
    static void stubs() throws IOException {
        TestHost.ensure();
        Files.createDirectories(BIN);
        for (String tool : List.of("nft", "iptables-restore", "iptables-save")) {
            Path stub = BIN.resolve(tool);
            Files.writeString(stub, "#!/bin/sh\nsleep " + SLEEP + "\n");
            Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nftables", "iptables"})
    void aRunOrNetworkCreateWhoseFirewallToolHangsFailsInTimeAndLeavesNothing(String backend) throws IOException {
        Ctrnet ctrnet = new Ctrnet(Path.of("/run/ctrnet-test/hung-tool-" + backend), "--nat", backend);
        String subnet = backend.equals("nftables") ? "10.62" : "10.63";
        ctrnet.ok("network", "create", "--subnet", subnet + ".0.0/24", "--opt", "bridge=hung" + backend.charAt(0), "hung");
        try {
            boolean nft = backend.equals("nftables");
            // iptables: a port is added by iptables-restore alone, a network after iptables-save has listed the rules
            assertFailsNaming(nft ? "nft" : "iptables-restore", withHungTools(ctrnet, "run", "-d", "--name", "victim", "--network", "hung",
                    "-p", "8950:80", "--", "sleep", "300"));
            Leftovers.assertNoContainer(ctrnet, "victim", "hung", 8950);

            assertFailsNaming(nft ? "nft" : "iptables-save", withHungTools(ctrnet, "network", "create", "--subnet", subnet + ".1.0/24",
                    "--opt", "bridge=hung" + backend.charAt(0) + "2", "second"));
            Leftovers.assertNoNetwork(ctrnet, "second", "hung" + backend.charAt(0) + "2");

            ctrnet.ok("run", "-d", "--name", "victim", "--network", "hung", "-p", "8950:80", "--", "sleep", "300");
            ctrnet.ok("rm", "-f", "victim");
        } finally {
            ctrnet.ok("network", "rm", "hung");
        }
    }

    @Test
    void aFreshRootWhoseFirewallToolHangsWhileBeingProbedFailsInTime() {
        Ctrnet ctrnet = new Ctrnet(Path.of("/run/ctrnet-test/hung-tool-probe"));
        assertFailsNaming("nft", withHungTools(ctrnet, "network", "create", "--subnet", "10.64.0.0/24",
                "--opt", "bridge=hungp", "probed"));
        Leftovers.assertNoNetwork(ctrnet, "probed", "hungp");
    }

    /**
     * Runs ctrnet with the hanging stubs first on its PATH and a short tool timeout, timing it; nftables'
     * library is kept out of use, so nftables goes through the (hanging) nft program.
     */
    private static Timed withHungTools(Ctrnet ctrnet, String... args) {
        long started = System.nanoTime();
        Shell.Result result = ctrnet.runWith(Map.of("PATH", BIN + ":" + System.getenv("PATH"),
                "CTRNET_TOOL_TIMEOUT", Integer.toString(TIMEOUT_SECONDS), "CTRNET_LIBNFTABLES", "off"), args);
        return new Timed(result, Duration.ofNanos(System.nanoTime() - started));
    }

    private record Timed(Shell.Result result, Duration took) {}

    private static void assertFailsNaming(String tool, Timed run) {
        String err = run.result().err();
        assertNotEquals(0, run.result().exit(), err);
        assertTrue(run.took().compareTo(IN_TIME) < 0, "it gave up in time, not after " + run.took());
        assertEquals(1, err.lines().count(), "one line: " + err);
        assertTrue(err.startsWith("ctrnet: ") && err.contains(tool + " did not finish within " + TIMEOUT_SECONDS + " s"), err);
        assertTrue(Eventually.holds(() -> Shell.run(List.of("pgrep", "-f", "sleep " + SLEEP)).exit() == 1),
                "the tool's processes were killed");
    }
}
