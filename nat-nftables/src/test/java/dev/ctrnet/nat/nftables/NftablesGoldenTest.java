package dev.ctrnet.nat.nftables;

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
class NftablesGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/full-apply.nft");
    private static final Path GOLDEN_DELTA = Path.of("src/test/resources/golden/port-delta.nft");

    private final NftablesBackend backend = new NftablesBackend();

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
        assertGolden(GOLDEN_DELTA, NftablesScript.portDelta(current, next));
    }

    /** Another rule set's table differs from the golden one in its name only. */
    @Test
    void otherRuleSetRendersTheGoldenTableUnderItsName() throws IOException {
        String golden = Files.readString(GOLDEN, StandardCharsets.UTF_8);
        assertEquals(golden.replace("inet ctrnet", "inet ctrnet-abc123"),
                backend.render(GoldenPlan.plan("ctrnet-abc123")));
    }

    @Test
    void kernelAcceptsTheGoldenTable() {
        assertKernelAccepts(GoldenPlan.plan());
    }

    @Test
    void kernelAcceptsTheLongestName() {
        assertKernelAccepts(GoldenPlan.plan(GoldenPlan.LONGEST_NAME));
    }

    private void assertKernelAccepts(FirewallPlan plan) {
        Shell.requireSandbox();
        Programs.Result check = new ProcessPrograms().run(List.of("nft", "-c", "-f", "-"), backend.render(plan));
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
