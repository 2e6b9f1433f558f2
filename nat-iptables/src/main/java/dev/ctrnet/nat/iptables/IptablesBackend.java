package dev.ctrnet.nat.iptables;

import dev.ctrnet.api.NatBackend;
import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.firewall.MissingRule;
import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.api.kernel.Programs;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The iptables backend: chains of each rule set's own, named after it ({@code CTRNET-PREROUTING} in raw,
 * {@code CTRNET-PREROUTING}, {@code CTRNET-OUTPUT}, {@code CTRNET-POSTROUTING}, {@code CTRNET-DNAT} in nat,
 * {@code CTRNET-FORWARD} and {@code CTRNET-INPUT} in filter for rule set {@code ctrnet}; see {@link Chains}), reached by one
 * jump from each built-in chain,
 * and written with one {@code iptables-restore --noflush} per call. Publishing or unpublishing a port
 * appends or deletes its rules only; another rule set's chains and jumps are never named.
 */
public final class IptablesBackend implements NatBackend {
    private static final String RESTORE = "iptables-restore";
    private static final List<String> RESTORE_NOFLUSH = List.of(RESTORE, "--noflush");

    /** For {@link java.util.ServiceLoader}. */
    public IptablesBackend() {}

    @Override
    public String name() {
        return "iptables";
    }

    @Override
    public Optional<String> unavailableReason(Programs programs) {
        if (!programs.exists(RESTORE)) {
            return Optional.of("the iptables-restore command is missing: install package iptables");
        }
        Programs.Result probe = programs.run(List.of(RESTORE, "--noflush", "--test"), "*raw\nCOMMIT\n*nat\nCOMMIT\n");
        if (!probe.ok()) {
            String version = programs.run(List.of(RESTORE, "--version"), "").stdout().strip();
            return Optional.of("the kernel refuses iptables NAT rules (" + version + " says: "
                    + firstLine(probe.stderr()) + "); load the nat and raw table modules or use --nat nftables");
        }
        return Optional.empty();
    }

    /** The full apply as sent to a host that has none of the backend's jumps yet. */
    @Override
    public String render(FirewallPlan plan) {
        return IptablesScript.fullApply(plan, EnumSet.allOf(Jump.class));
    }

    @Override
    public void apply(FirewallPlan plan, Programs programs) {
        Set<Jump> missing = saved(programs, Chains.of(plan)).missingJumps();
        restore(programs, IptablesScript.fullApply(plan, missing), "apply the firewall rules");
    }

    /**
     * Sends only rule changes when the networks are unchanged. When the kernel no longer holds what
     * {@code current} says (someone flushed the chains), the delta's checks of the jumps, or a deletion,
     * fail, the restore changes nothing, and the full plan is applied instead, which repairs the chains.
     */
    @Override
    public void update(FirewallPlan current, FirewallPlan next, Programs programs) {
        if (!current.sameZones(next)) {
            apply(next, programs);
            return;
        }
        String delta = IptablesScript.portDelta(current, next);
        if (delta.isEmpty()) {
            return;
        }
        if (!programs.run(RESTORE_NOFLUSH, delta).ok()) {
            apply(next, programs);
        }
    }

    /**
     * Removes the chains and jumps of rule set {@code name} only; the empty plan of that name rejects anything
     * but a rule set name before it reaches iptables-restore.
     */
    @Override
    public void remove(String name, Programs programs) {
        String removal = IptablesScript.removal(saved(programs, Chains.of(FirewallPlan.empty(name))));
        if (!removal.isEmpty()) {
            restore(programs, removal, "remove the chains of rule set " + name);
        }
    }

    /** Reads {@code iptables-save}: each rule is recognised by the exact line it prints for what this backend writes. */
    @Override
    public Optional<List<MissingRule>> missingRules(FirewallPlan plan, Programs programs) {
        return Optional.of(saved(programs, Chains.of(plan)).missingFrom(plan));
    }

    private static SavedRules saved(Programs programs, Chains chains) {
        Programs.Result result = programs.run(List.of("iptables-save"), "");
        if (!result.ok()) {
            throw new KernelException(0, "iptables-save could not list the rules: " + firstLine(result.stderr()));
        }
        return SavedRules.parse(result.stdout(), chains);
    }

    private static void restore(Programs programs, String script, String purpose) {
        Programs.Result result = programs.run(RESTORE_NOFLUSH, script);
        if (!result.ok()) {
            throw new KernelException(0, "iptables-restore could not " + purpose + ": " + firstLine(result.stderr()));
        }
    }

    private static String firstLine(String text) {
        return text.strip().lines().findFirst().orElse("no error message");
    }
}
