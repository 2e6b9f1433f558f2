package dev.ctrnet.nat.iptables;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.testing.GoldenPlan;
import dev.ctrnet.api.testing.NatBackendGoldenContract;
import dev.ctrnet.api.testing.Privileged;
import dev.ctrnet.api.testing.Shell;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The iptables-restore input this backend renders, pinned by {@code src/test/resources/golden/*.rules}. */
class IptablesGoldenTest extends NatBackendGoldenContract {
    IptablesGoldenTest() {
        super(new IptablesUnderTest(), Path.of("src/test/resources/golden/full-apply.rules"),
                Path.of("src/test/resources/golden/port-delta.rules"));
    }

    @Override
    protected String renderPortDelta(FirewallPlan current, FirewallPlan next) {
        return IptablesScript.portDelta(current, next);
    }

    /** The rules differ in their chain names and comments only. */
    @Override
    protected String asOtherRuleSet(String golden) {
        return golden.replace("CTRNET-", "CTRNET-ABC123-").replace("\"ctrnet:", "\"ctrnet-abc123:");
    }

    @Override
    protected List<String> dryRun() {
        return List.of("iptables-restore", "--noflush", "--test");
    }

    /** Each family's part of the dual-stack rendering is accepted by its own tool. */
    @Test
    @Privileged
    void kernelAcceptsTheDualStackRules() {
        String[] parts = new IptablesBackend().render(GoldenPlan.dualStack()).split("# ip6tables-restore --noflush\n");
        assertEquals(2, parts.length);
        Shell.assertAccepts(dryRun(), parts[0]);
        Shell.assertAccepts(List.of("ip6tables-restore", "--noflush", "--test"), parts[1]);
    }

    /**
     * The longest name's longest chain, {@code CTRNET-ABCDEFGHI-POSTROUTING}, has the 28 characters iptables
     * allows at most, so {@link #kernelAcceptsTheLongestName()} tests the limit itself.
     */
    @Test
    void longestChainHasTheMostCharactersIptablesAllows() {
        assertEquals(28, Chains.of(GoldenPlan.plan(GoldenPlan.LONGEST_NAME)).from("POSTROUTING").length());
    }
}
