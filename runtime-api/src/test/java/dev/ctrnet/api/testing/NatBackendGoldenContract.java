package dev.ctrnet.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ctrnet.api.NatBackend;
import dev.ctrnet.api.firewall.FirewallPlan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What the backend renders for the fixed plans of {@link GoldenPlan}, compared with golden files the backend
 * checks in (see {@link GoldenFile} for rewriting them after an intended change), and checked by the
 * kernel's own parser.
 */
public abstract class NatBackendGoldenContract {
    private final NatBackend backend;
    private final Path fullApply;
    private final Path portDelta;

    /**
     * The contract for {@code underTest}, whose rendering of {@link GoldenPlan#plan()} is checked in as
     * {@code fullApply} and whose port delta to {@link GoldenPlan#withPortsChanged()} as {@code portDelta}.
     */
    protected NatBackendGoldenContract(NatBackendUnderTest underTest, Path fullApply, Path portDelta) {
        this.backend = underTest.backend();
        this.fullApply = fullApply;
        this.portDelta = portDelta;
    }

    /** What the backend sends to move from {@code current} to {@code next}, whose zones are the same. */
    protected abstract String renderPortDelta(FirewallPlan current, FirewallPlan next);

    /**
     * {@code golden}, the full apply of {@link GoldenPlan#NAME}, as rule set {@link GoldenPlan#OTHER_NAME}
     * must render it: the same rules under that rule set's names.
     */
    protected abstract String asOtherRuleSet(String golden);

    /** The backend's tool in its check-only mode, reading rules on its standard input. */
    protected abstract List<String> dryRun();

    @Test
    public void fullApplyMatchesGolden() throws IOException {
        GoldenFile.assertMatches(fullApply, backend.render(GoldenPlan.plan()));
    }

    /** The dual-stack plan's full apply is pinned beside the full apply's golden file, as {@code dual-stack.EXT}. */
    @Test
    public void dualStackMatchesGolden() throws IOException {
        String name = fullApply.getFileName().toString();
        Path golden = fullApply.resolveSibling("dual-stack" + name.substring(name.lastIndexOf('.')));
        GoldenFile.assertMatches(golden, backend.render(GoldenPlan.dualStack()));
    }

    /**
     * The routed plan's full apply ({@link GoldenPlan#routed()}: zones named by a prefix beside a bridge), as
     * {@code routed.EXT}, when the backend renders such zones.
     */
    @Test
    public void routedMatchesGolden() throws IOException {
        String name = fullApply.getFileName().toString();
        GoldenFile.assertMatches(fullApply.resolveSibling("routed" + name.substring(name.lastIndexOf('.'))),
                backend.render(routedPlan()));
    }

    @Test
    @Privileged
    public void kernelAcceptsTheRoutedRules() {
        Shell.assertAccepts(dryRun(), backend.render(routedPlan()));
    }

    private FirewallPlan routedPlan() {
        FirewallPlan routed = GoldenPlan.routed();
        Assumptions.assumeTrue(routed.zones().stream().allMatch(z -> backend.renders(z.interfaces())),
                "the backend renders no zone named by a prefix");
        return routed;
    }

    @Test
    public void portDeltaMatchesGolden() throws IOException {
        GoldenFile.assertMatches(portDelta, renderPortDelta(GoldenPlan.plan(), GoldenPlan.withPortsChanged()));
    }

    /** Another rule set's rules differ from the golden ones in their names only. */
    @Test
    public void otherRuleSetRendersTheGoldenRulesUnderItsName() throws IOException {
        assertEquals(asOtherRuleSet(GoldenFile.read(fullApply)), backend.render(GoldenPlan.plan(GoldenPlan.OTHER_NAME)));
    }

    @Test
    @Privileged
    public void kernelAcceptsTheGoldenRules() {
        Shell.assertAccepts(dryRun(), backend.render(GoldenPlan.plan()));
    }

    @Test
    @Privileged
    public void kernelAcceptsTheLongestName() {
        Shell.assertAccepts(dryRun(), backend.render(GoldenPlan.plan(GoldenPlan.LONGEST_NAME)));
    }
}
