package dev.ctrnet.cli;

/** Issue 12's dry runs on the iptables backend. */
class IptablesDryRunIT extends DryRunContract {
    IptablesDryRunIT() {
        super("iptables", "ipt");
    }
}
