package dev.ctrnet.nat.iptables;

import java.util.List;

/**
 * The only rules this backend puts in built-in chains: one jump each into a chain of the rule set's own
 * (see {@link Chains}), inserted first so that the isolation drops run before any accept the host may have.
 */
enum Jump {
    RAW_PREROUTING("raw", "PREROUTING"),
    PREROUTING("nat", "PREROUTING"),
    OUTPUT("nat", "OUTPUT"),
    POSTROUTING("nat", "POSTROUTING"),
    FORWARD("filter", "FORWARD"),
    INPUT("filter", "INPUT");

    /** The tables the jumps are in. */
    static final List<String> TABLES = List.of("raw", "nat", "filter");

    private final String table;
    private final String builtin;

    Jump(String table, String builtin) {
        this.table = table;
        this.builtin = builtin;
    }

    /** The table both chains are in. */
    String table() {
        return table;
    }

    /** The jump into {@code chains} as iptables-save prints it, which is how its presence is recognised. */
    String saved(Chains chains) {
        return "-A " + builtin + " -j " + chains.from(builtin);
    }

    /** The restore line that adds the jump into {@code chains} in front of the built-in chain. */
    String insert(Chains chains) {
        return "-I " + builtin + " 1 -j " + chains.from(builtin);
    }

    /** The restore line that fails unless the jump into {@code chains} is in place. */
    String check(Chains chains) {
        return "-C " + builtin + " -j " + chains.from(builtin);
    }

    /** The restore line that removes one copy of the jump into {@code chains}. */
    String delete(Chains chains) {
        return "-D " + builtin + " -j " + chains.from(builtin);
    }
}
