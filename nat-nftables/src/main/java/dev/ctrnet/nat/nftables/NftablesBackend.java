package dev.ctrnet.nat.nftables;

import dev.ctrnet.api.NatBackend;
import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.firewall.HostInterfaces;
import dev.ctrnet.api.firewall.MissingRule;
import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.api.kernel.Nftables;
import dev.ctrnet.api.kernel.Programs;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The nftables backend: the whole plan lives in the table named after its rule set, {@code inet <name>}
 * ({@code inet ctrnet} for the default state root), replaced in one {@code nft -f -} transaction; other
 * rule sets' tables are never named. Published ports are elements of maps keyed by host address, protocol and
 * port, so publishing or unpublishing one is an element change whatever the number of containers.
 *
 * <p>Scripts go through nftables' library in the runtime's process when the runtime offers it
 * ({@link Programs#nftables()}), and through the {@code nft} program otherwise: the same script, the same
 * transaction, the same messages.
 */
public final class NftablesBackend implements NatBackend {
    private static final String NFT = "nft";
    /**
     * A dry run of a table like ours: the kernel checks it without keeping anything. The '_' keeps its name out
     * of the rule set names, so even the check never concerns a real rule set's table.
     */
    private static final String PROBE = "add table inet ctrnet_probe\n"
            + "add chain inet ctrnet_probe p { type nat hook prerouting priority dstnat; }\n";

    /** For {@link java.util.ServiceLoader}. */
    public NftablesBackend() {}

    @Override
    public String name() {
        return "nftables";
    }

    /** Preferred to iptables: each change is one atomic transaction, and a container's rules are map elements. */
    @Override
    public int preference() {
        return 20;
    }

    @Override
    public Optional<String> unavailableReason(Programs programs) {
        Optional<Nftables> library = programs.nftables();
        if (library.isEmpty() && !programs.exists(NFT)) {
            return Optional.of("the nft command is missing: install package nftables");
        }
        Programs.Result probe = library.map(nft -> nft.check(PROBE))
                .orElseGet(() -> programs.run(List.of(NFT, "-c", "-f", "-"), PROBE));
        if (!probe.ok()) {
            return Optional.of("the kernel refuses nftables NAT rules (nft says: " + firstLine(probe.stderr())
                    + "); load the nf_tables and nft_nat modules or use --nat iptables");
        }
        return Optional.empty();
    }

    /** Every shape: one bridge, names, a name prefix, or none yet, each as a set nft matches in one rule. */
    @Override
    public boolean renders(HostInterfaces interfaces) {
        return true;
    }

    @Override
    public String render(FirewallPlan plan) {
        return NftablesScript.fullApply(plan);
    }

    @Override
    public void apply(FirewallPlan plan, Programs programs) {
        run(programs, render(plan), "apply the firewall rules");
    }

    /**
     * Sends only element changes when the networks are unchanged. When the kernel no longer holds what
     * {@code current} says (someone flushed the ruleset), the delta fails as a whole and the full plan is
     * applied instead, which repairs the table.
     */
    @Override
    public void update(FirewallPlan current, FirewallPlan next, Programs programs) {
        if (!current.sameZones(next)) {
            apply(next, programs);
            return;
        }
        String delta = NftablesScript.portDelta(current, next);
        if (delta.isEmpty()) {
            return;
        }
        if (!nft(programs, delta).ok()) {
            apply(next, programs);
        }
    }

    /**
     * Removes the table {@code inet <name>} only; the empty plan of that name rejects anything but a rule set
     * name before it reaches nft.
     */
    @Override
    public void remove(String name, Programs programs) {
        run(programs, NftablesScript.removal(FirewallPlan.empty(name)),
                "remove the table " + NftablesScript.table(name));
    }

    /**
     * Lists the rule set's table; when there is none, every rule of the plan is missing, and the table is what
     * the doctor names.
     */
    @Override
    public Optional<List<MissingRule>> missingRules(FirewallPlan plan, Programs programs) {
        String table = NftablesScript.table(plan.name());
        Programs.Result listed = nft(programs, "list table " + table + "\n");
        if (!listed.ok()) {
            List<MissingRule> all = new ArrayList<>();
            plan.zones().stream().filter(z -> !NftablesScript.outboundMasquerades(z).isEmpty())
                    .forEach(z -> all.add(new MissingRule(z.network(), Optional.empty(), "table " + table)));
            plan.ports().forEach(p -> all.add(new MissingRule(p.network(), Optional.of(p), "table " + table)));
            return Optional.of(all);
        }
        return Optional.of(ListedTable.parse(listed.stdout()).missingFrom(plan));
    }

    private static void run(Programs programs, String script, String purpose) {
        Programs.Result result = nft(programs, script);
        if (!result.ok()) {
            throw new KernelException(0, "nft could not " + purpose + ": " + firstLine(result.stderr()));
        }
    }

    /** {@code script} as {@code nft -f -} runs it: through the library when there is one. */
    private static Programs.Result nft(Programs programs, String script) {
        return programs.nftables().map(nft -> nft.run(script))
                .orElseGet(() -> programs.run(List.of(NFT, "-f", "-"), script));
    }

    /**
     * The line holding "Error:", from there on: the program prefixes it with a position in its input
     * ({@code /dev/stdin:3:1-20:}) and the library with none, and the user never sees the script either way.
     */
    static String firstLine(String text) {
        List<String> lines = text.strip().lines().toList();
        return lines.stream().filter(l -> l.contains("Error:")).findFirst()
                .map(l -> l.substring(l.indexOf("Error:")))
                .or(() -> lines.stream().findFirst())
                .orElse("no error message");
    }
}
