package dev.ctrnet.nat.nftables;

import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.testing.NatBackendGoldenContract;
import dev.ctrnet.api.testing.Privileged;
import dev.ctrnet.api.testing.Shell;
import dev.ctrnet.api.testing.GoldenFile;
import dev.ctrnet.api.testing.GoldenPlan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table nftables renders, pinned by {@code src/test/resources/golden/*.nft}. */
class NftablesGoldenTest extends NatBackendGoldenContract {
    NftablesGoldenTest() {
        super(new NftablesUnderTest(), Path.of("src/test/resources/golden/full-apply.nft"),
                Path.of("src/test/resources/golden/port-delta.nft"));
    }

    @Override
    protected String renderPortDelta(FirewallPlan current, FirewallPlan next) {
        return NftablesScript.portDelta(current, next);
    }

    /** The table differs in its name only. */
    @Override
    protected String asOtherRuleSet(String golden) {
        return golden.replace("inet ctrnet", "inet ctrnet-abc123");
    }

    @Override
    protected List<String> dryRun() {
        return List.of("nft", "-c", "-f", "-");
    }

    /**
     * Zones of host links named one by one, as attachments declare them, and a zone with none yet: an anonymous
     * set per zone, and no interface rule for the empty one.
     */
    @Test
    void routedByNameMatchesGolden() throws IOException {
        GoldenFile.assertMatches(Path.of("src/test/resources/golden/routed-by-name.nft"),
                new NftablesBackend().render(GoldenPlan.routedByName()));
    }

    @Test
    @Privileged
    void kernelAcceptsTheRoutedByNameTable() {
        Shell.assertAccepts(dryRun(), new NftablesBackend().render(GoldenPlan.routedByName()));
    }

    @Test
    @Privileged
    void kernelAcceptsTheDualStackTable() {
        Shell.assertAccepts(dryRun(), new NftablesBackend().render(GoldenPlan.dualStack()));
    }
}
