package dev.ctrnet.nat.iptables;

import dev.ctrnet.api.NatBackend;
import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.firewall.HostInterfaces;
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
 * appends or deletes its rules only; another rule set's chains and jumps are never named. The IPv6 rules of
 * dual-stack networks go to ip6tables, in chains of the same names, there only while a plan needs them.
 */
public final class IptablesBackend implements NatBackend {
    private static final String RESTORE = "iptables-restore";

    /** For {@link java.util.ServiceLoader}. */
    public IptablesBackend() {}

    @Override
    public String name() {
        return "iptables";
    }

    /** Below nftables, which {@code --nat auto} takes when it works, above a plugin's default. */
    @Override
    public int preference() {
        return 10;
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

    /**
     * One bridge, or one name prefix ({@code -i pt1a+}): every rule of a zone matches its interfaces with one
     * pattern, and iptables cannot negate a match of several ({@code ! -o a ! -o b} is not a rule).
     */
    @Override
    public boolean renders(HostInterfaces interfaces) {
        return interfaces.patterns("+").size() == 1;
    }

    /**
     * The full apply as sent to a host that has none of the backend's jumps yet; for a dual-stack plan followed,
     * after a comment line, by what ip6tables-restore is sent.
     */
    @Override
    public String render(FirewallPlan plan) {
        String ipv4 = IptablesScript.fullApply(plan, EnumSet.allOf(Jump.class));
        if (!Family.IPV6.neededBy(plan)) {
            return ipv4;
        }
        return ipv4 + "# ip6tables-restore --noflush\n" + IptablesScript.fullApply(plan, EnumSet.allOf(Jump.class), Family.IPV6);
    }

    @Override
    public void apply(FirewallPlan plan, Programs programs) {
        apply(plan, programs, Family.IPV4);
        if (Family.IPV6.neededBy(plan)) {
            apply(plan, programs, Family.IPV6);
        } else if (programs.exists(Family.IPV6.save().get(0))) {
            remove(plan.name(), programs, Family.IPV6); // no dual-stack network left: no IPv6 rule either
        }
    }

    private static void apply(FirewallPlan plan, Programs programs, Family family) {
        Set<Jump> missing = saved(programs, Chains.of(plan), family).missingJumps();
        restore(programs, IptablesScript.fullApply(plan, missing, family), "apply the firewall rules", family);
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
        for (Family family : Family.values()) {
            String delta = IptablesScript.portDelta(current, next, family);
            if (!delta.isEmpty() && !programs.run(family.restore(), delta).ok()) {
                apply(next, programs);
                return;
            }
        }
    }

    /**
     * Removes the chains and jumps of rule set {@code name} only; the empty plan of that name rejects anything
     * but a rule set name before it reaches iptables-restore.
     */
    @Override
    public void remove(String name, Programs programs) {
        remove(name, programs, Family.IPV4);
        if (programs.exists(Family.IPV6.save().get(0))) {
            remove(name, programs, Family.IPV6);
        }
    }

    private static void remove(String name, Programs programs, Family family) {
        String removal = IptablesScript.removal(saved(programs, Chains.of(FirewallPlan.empty(name)), family));
        if (!removal.isEmpty()) {
            restore(programs, removal, "remove the chains of rule set " + name, family);
        }
    }

    /** Reads {@code iptables-save}: each rule is recognised by the exact line it prints for what this backend writes. */
    @Override
    public Optional<List<MissingRule>> missingRules(FirewallPlan plan, Programs programs) {
        // the IPv4 rules only: iptables-save shows no IPv6 port's rule
        FirewallPlan ipv4 = new FirewallPlan(plan.name(), plan.zones(), Family.IPV4.ports(plan.ports()),
                plan.forwardingGuard(), plan.forwardingGuard6());
        return Optional.of(saved(programs, Chains.of(plan), Family.IPV4).missingFrom(ipv4));
    }

    private static SavedRules saved(Programs programs, Chains chains, Family family) {
        Programs.Result result = programs.run(family.save(), "");
        if (!result.ok()) {
            throw new KernelException(0, family.tool() + "-save could not list the rules: " + firstLine(result.stderr()));
        }
        return SavedRules.parse(result.stdout(), chains);
    }

    private static void restore(Programs programs, String script, String purpose, Family family) {
        if (family == Family.IPV6 && !programs.exists(family.restore().get(0))) {
            throw new KernelException(0, "ip6tables-restore is missing, which a dual-stack network needs: install"
                    + " package iptables or use --nat nftables");
        }
        Programs.Result result = programs.run(family.restore(), script);
        if (!result.ok()) {
            throw new KernelException(0, family.tool() + "-restore could not " + purpose + ": "
                    + firstLine(result.stderr()));
        }
    }

    private static String firstLine(String text) {
        return text.strip().lines().findFirst().orElse("no error message");
    }
}
