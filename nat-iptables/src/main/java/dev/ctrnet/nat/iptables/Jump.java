package dev.ctrnet.nat.iptables;

/**
 * The only rules this backend puts in built-in chains: one jump each into a chain of its own, inserted
 * first so that the isolation drops run before any accept the host may have.
 */
enum Jump {
    PREROUTING("nat", "PREROUTING", "CTRNET-PREROUTING"),
    OUTPUT("nat", "OUTPUT", "CTRNET-OUTPUT"),
    POSTROUTING("nat", "POSTROUTING", "CTRNET-POSTROUTING"),
    FORWARD("filter", "FORWARD", "CTRNET-FORWARD");

    private final String table;
    private final String builtin;
    private final String target;

    Jump(String table, String builtin, String target) {
        this.table = table;
        this.builtin = builtin;
        this.target = target;
    }

    /** The table both chains are in. */
    String table() {
        return table;
    }

    /** The jump as iptables-save prints it, which is how its presence is recognised. */
    String saved() {
        return "-A " + builtin + " -j " + target;
    }

    /** The restore line that adds the jump in front of the built-in chain. */
    String insert() {
        return "-I " + builtin + " 1 -j " + target;
    }

    /** The restore line that removes one copy of the jump. */
    String delete() {
        return "-D " + builtin + " -j " + target;
    }
}
