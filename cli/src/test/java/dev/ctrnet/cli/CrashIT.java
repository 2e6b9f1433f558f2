package dev.ctrnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ctrnet killed (as by kill -9) between any two steps of run, rm and network create: system prune,
 * or the same removal again, leaves nothing behind — no namespace mount, lease, veth, rule or record —
 * and the name, address and port can be used again.
 */
class CrashIT {
    private static final Ctrnet CTRNET = new Ctrnet(Path.of("/run/ctrnet-test/crash-it"));

    @BeforeAll
    static void host() {
        TestHost.ensure();
    }

    @ParameterizedTest
    @ValueSource(strings = {"run-uts", "run-netns", "run-lease", "run-attach", "run-record", "run-firewall"})
    void aRunKilledAtAnyStepIsReclaimedByPrune(String point) throws IOException {
        var crashed = CTRNET.runCrashingAt(point, "run", "-d", "--name", "victim", "-p", "8900:80", "--", "sleep", "300");
        assertEquals(137, crashed.exit(), "it died at " + point + ": " + crashed.err());
        CTRNET.ok("system", "prune");
        assertNothingLeft("victim", 8900);
        CTRNET.ok("run", "-d", "--name", "victim", "-p", "8900:80", "--", "sleep", "300");
        CTRNET.ok("rm", "-f", "victim");
        assertNothingLeft("victim", 8900);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rm-firewall", "rm-leases", "rm-namespaces"})
    void anRmKilledAtAnyStepIsFinishedByTheNextRm(String point) throws IOException {
        CTRNET.ok("run", "-d", "--name", "victim", "-p", "8901:80", "--", "sleep", "300");
        assertEquals(137, CTRNET.runCrashingAt(point, "rm", "-f", "victim").exit(), "it died at " + point);
        CTRNET.ok("rm", "-f", "victim");
        assertNothingLeft("victim", 8901);
    }

    @ParameterizedTest
    @ValueSource(strings = {"network-record", "network-bridge"})
    void aNetworkCreateKilledAtAnyStepIsRemovedByNetworkRm(String point) {
        var crashed = CTRNET.runCrashingAt(point, "network", "create", "--subnet", "10.60.0.0/24", "--opt",
                "bridge=crashbr", "halfmade");
        assertEquals(137, crashed.exit(), "it died at " + point);
        CTRNET.ok("network", "rm", "halfmade");
        Leftovers.assertNoNetwork(CTRNET, "halfmade", "crashbr");
        CTRNET.ok("network", "create", "--subnet", "10.60.0.0/24", "--opt", "bridge=crashbr", "halfmade");
        CTRNET.ok("network", "rm", "halfmade");
    }

    private static void assertNothingLeft(String name, int port) throws IOException {
        Leftovers.assertNoContainer(CTRNET, name, "bridge", port);
    }
}
