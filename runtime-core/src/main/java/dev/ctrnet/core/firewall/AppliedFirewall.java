package dev.ctrnet.core.firewall;

import dev.ctrnet.api.firewall.FirewallPlan;
import java.util.Objects;

/**
 * What the kernel's firewall holds for a state root, as last applied: by which backend, and the plan.
 * Kept so that one container's change is computed from it without reading every container's record.
 *
 * @param backend the NAT backend's name
 * @param plan the plan it made the kernel match
 */
public record AppliedFirewall(String backend, FirewallPlan plan) {
    public AppliedFirewall {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(plan, "plan");
    }
}
