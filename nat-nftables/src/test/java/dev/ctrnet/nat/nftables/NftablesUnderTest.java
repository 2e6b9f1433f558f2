package dev.ctrnet.nat.nftables;

import dev.ctrnet.api.NatBackend;
import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.kernel.Nftables;
import dev.ctrnet.api.kernel.Programs;
import dev.ctrnet.api.testing.NatBackendUnderTest;
import dev.ctrnet.api.testing.ProcessPrograms;
import dev.ctrnet.api.testing.Shell;
import dev.ctrnet.libnftables.LibraryNftables;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The nftables backend for the conformance kit: a rule set is one table, which {@code nft} lists. The backend
 * runs its scripts through nftables' library, as in the runtime.
 */
final class NftablesUnderTest implements NatBackendUnderTest {
    private static final Pattern ELEMENTS = Pattern.compile("elements = \\{(.*?)\\}", Pattern.DOTALL);

    @Override
    public NatBackend backend() {
        return new NftablesBackend();
    }

    /** The runtime's library, required: the nftables package that provides nft depends on it. */
    @Override
    public Programs programs() {
        return new ProcessPrograms(Optional.of(library()));
    }

    static Nftables library() {
        return LibraryNftables.shared().orElseThrow(() -> new IllegalStateException(
                LibraryNftables.LIBRARY + " cannot be loaded: apt-get install libnftables1"));
    }

    @Override
    public String ownRules(FirewallPlan plan) {
        return Shell.ok("nft list table " + NftablesScript.table(plan.name()));
    }

    /** The table with each element list sorted: hash maps list in no fixed order. */
    @Override
    public String normalised(String ownRules) {
        Matcher matcher = ELEMENTS.matcher(ownRules);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String sorted = Arrays.stream(matcher.group(1).split(",")).map(String::strip).sorted()
                    .collect(Collectors.joining(", "));
            matcher.appendReplacement(out, Matcher.quoteReplacement("elements = { " + sorted + " }"));
        }
        return matcher.appendTail(out).toString();
    }

    @Override
    public boolean holds(FirewallPlan plan) {
        return Shell.ok("nft list tables").contains("table " + NftablesScript.table(plan.name()) + "\n");
    }

    @Override
    public boolean holdsAnyRuleSet() {
        return Shell.ok("nft list tables").contains("ctrnet");
    }

    /** The whole ruleset: nftables has no NAT table of its own to flush apart. */
    @Override
    public void flushAddressTranslation() {
        Shell.ok("nft flush ruleset");
    }

    @Override
    public void flushEverything() {
        Shell.ok("nft flush ruleset");
    }
}
