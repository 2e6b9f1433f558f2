package dev.ctrnet.nat.iptables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.kernel.Programs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rendered table for a fixed plan, compared with a checked-in file. Run with
 * {@code -Dgolden.update=true} to rewrite the file after an intended change, then review the diff.
 */
class IptablesGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/full-apply.rules");
    private static final Path GOLDEN_DELTA = Path.of("src/test/resources/golden/port-delta.rules");

    private final IptablesBackend backend = new IptablesBackend();

    @Test
    void fullApplyMatchesGolden() throws IOException {
        assertGolden(GOLDEN, backend.render(GoldenPlan.plan()));
    }

    @Test
    void portDeltaMatchesGolden() throws IOException {
        FirewallPlan current = GoldenPlan.plan();
        FirewallPlan next = new FirewallPlan(current.name(), current.zones(), List.of(
                GoldenPlan.port("web", "front", "10.77.0.2", "8080:80"),
                GoldenPlan.port("web", "front", "10.77.0.2", "5353:53/udp"),
                GoldenPlan.port("web", "api", "10.77.0.3", "198.51.100.1:8081:81"),
                GoldenPlan.port("web", "other", "10.77.0.4", "8090-8091:90-91"),
                GoldenPlan.port("vault", "db", "10.78.0.2", "127.0.0.1:5432:5432")));
        assertGolden(GOLDEN_DELTA, IptablesScript.portDelta(current, next));
    }

    /** Another rule set's rules differ from the golden ones in their chain names and comments only. */
    @Test
    void otherRuleSetRendersTheGoldenRulesUnderItsName() throws IOException {
        String golden = Files.readString(GOLDEN, StandardCharsets.UTF_8);
        assertEquals(golden.replace("CTRNET-", "CTRNET-ABC123-").replace("\"ctrnet:", "\"ctrnet-abc123:"),
                backend.render(GoldenPlan.plan("ctrnet-abc123")));
    }

    @Test
    void kernelAcceptsTheGoldenTable() {
        assertKernelAccepts(GoldenPlan.plan());
    }

    /** Its longest chain, {@code CTRNET-ABCDEFGHI-POSTROUTING}, has the 28 characters iptables allows at most. */
    @Test
    void kernelAcceptsTheLongestName() {
        assertEquals(28, Chains.of(GoldenPlan.plan(GoldenPlan.LONGEST_NAME)).from("POSTROUTING").length());
        assertKernelAccepts(GoldenPlan.plan(GoldenPlan.LONGEST_NAME));
    }

    private void assertKernelAccepts(FirewallPlan plan) {
        Shell.requireSandbox();
        Programs.Result check = new ProcessPrograms().run(List.of("iptables-restore", "--noflush", "--test"),
                backend.render(plan));
        assertTrue(check.ok(), check.stderr());
    }

    private static void assertGolden(Path golden, String rendered) throws IOException {
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, rendered, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(golden, StandardCharsets.UTF_8), rendered);
    }
}
