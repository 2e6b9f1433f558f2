package dev.ctrnet.nat.iptables;

import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.testing.NatBackendInputContract;
import java.util.List;

/**
 * Hostile names in the iptables chains and comments: refused, or the rules of a plain name, as
 * {@code iptables-restore --test} reads them.
 */
class IptablesInputProperties extends NatBackendInputContract {
    IptablesInputProperties() {
        super(new IptablesUnderTest());
    }

    @Override
    protected List<String> dryRun() {
        return List.of("iptables-restore", "--noflush", "--test");
    }

    @Override
    protected String renderPortDelta(FirewallPlan current, FirewallPlan next) {
        return IptablesScript.portDelta(current, next);
    }
}
