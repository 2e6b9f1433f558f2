package dev.ctrnet.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ctrnet.api.NatBackend;
import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.kernel.Programs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rules the backend did not create, in nftables and in iptables alike, survive its whole lifecycle byte for
 * byte: whichever tool a backend uses, the host may hold rules of the other.
 */
@Privileged
public abstract class NatBackendForeignRulesContract {
    private static final String FOREIGN_STATE = "nft list table inet foreign; iptables-save | grep -v '^#'";

    private final NatBackend backend;
    private final Programs programs;

    /** The contract for {@code underTest}. */
    protected NatBackendForeignRulesContract(NatBackendUnderTest underTest) {
        this.backend = underTest.backend();
        this.programs = underTest.programs();
    }

    @ParameterizedTest
    @ValueSource(strings = {GoldenPlan.NAME, GoldenPlan.OTHER_NAME, GoldenPlan.LONGEST_NAME})
    public void foreignTablesAndChainsAreUntouched(String name) {
        Shell.requireSandbox();
        Shell.ok("nft add table inet foreign && nft add chain inet foreign keep '{ type filter hook forward priority 0; policy accept; }'"
                + " && nft add rule inet foreign keep iifname lo counter accept");
        Shell.ok("iptables -N FOREIGN && iptables -A FOREIGN -s 192.0.2.0/24 -j ACCEPT && iptables -A FORWARD -j FOREIGN");
        Shell.ok("iptables -t nat -N FOREIGN && iptables -t nat -A FOREIGN -s 192.0.2.0/24 -j RETURN"
                + " && iptables -t nat -A POSTROUTING -j FOREIGN");
        String before = Shell.ok(FOREIGN_STATE);

        FirewallPlan plan = GoldenPlan.plan(name);
        backend.apply(plan, programs);
        backend.update(plan, new FirewallPlan(name, plan.zones(), plan.ports().subList(0, 2)), programs);
        backend.update(plan, FirewallPlan.empty(name), programs);
        backend.remove(name, programs);

        assertEquals(before, Shell.ok(FOREIGN_STATE));
    }

    /** Removes the foreign rules, also those a failed test left behind. */
    @AfterEach
    public void removeForeignRules() {
        Shell.run("nft delete table inet foreign; iptables -D FORWARD -j FOREIGN; iptables -F FOREIGN; iptables -X FOREIGN;"
                + " iptables -t nat -D POSTROUTING -j FOREIGN; iptables -t nat -F FOREIGN; iptables -t nat -X FOREIGN");
    }
}
