package dev.ctrnet.nat.nftables;

import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.testing.NatBackendInputContract;
import java.util.List;

/** Hostile names in the nftables table: refused, or the rules of a plain name, as {@code nft -c} reads them. */
class NftablesInputProperties extends NatBackendInputContract {
    NftablesInputProperties() {
        super(new NftablesUnderTest());
    }

    @Override
    protected List<String> dryRun() {
        return List.of("nft", "-c", "-f", "-");
    }

    @Override
    protected String renderPortDelta(FirewallPlan current, FirewallPlan next) {
        return NftablesScript.portDelta(current, next);
    }
}
