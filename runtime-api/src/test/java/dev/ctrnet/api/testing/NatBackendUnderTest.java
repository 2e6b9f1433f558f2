package dev.ctrnet.api.testing;

import dev.ctrnet.api.NatBackend;
import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.kernel.Programs;

/**
 * A backend as the contracts test it: the backend itself, and how to see and disturb its rules with the
 * tools of its own kind ({@code nft}, {@code iptables-save}, …), never with the backend's code, so that
 * what the contracts check is what the kernel holds. A backend module implements this once and hands it
 * to each contract's constructor.
 */
public interface NatBackendUnderTest {
    /** The backend, as {@link java.util.ServiceLoader} would make it. */
    NatBackend backend();

    /**
     * What the contracts hand the backend, as the runtime would: by default the host's programs and no
     * {@link Programs#nftables() library}; a backend that uses one the runtime offers hands that here too.
     */
    default Programs programs() {
        return new ProcessPrograms();
    }

    /**
     * Everything the kernel holds for {@code plan}'s rule set, as the backend's tool lists it, byte for byte:
     * equal listings mean that nothing of the rule set changed.
     */
    String ownRules(FirewallPlan plan);

    /**
     * {@code ownRules} in a form where two listings that match the same packets are equal: for example
     * with the parts the tool lists in no fixed order sorted, and packet counters dropped.
     */
    String normalised(String ownRules);

    /** Whether the kernel holds anything of {@code plan}'s rule set. */
    boolean holds(FirewallPlan plan);

    /** Whether the kernel holds anything of any ctrnet rule set. */
    boolean holdsAnyRuleSet();

    /**
     * Flushes at least the rules that translate addresses (those of published ports among them) behind the
     * backend's back, as an administrator or another tool might.
     */
    void flushAddressTranslation();

    /** Flushes every rule in every table the backend uses, behind the backend's back. */
    void flushEverything();
}
