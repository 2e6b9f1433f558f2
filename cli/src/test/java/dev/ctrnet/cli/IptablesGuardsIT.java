package dev.ctrnet.cli;

/** Issue 8's attacks on the iptables backend. */
class IptablesGuardsIT extends GuardsContract {
    IptablesGuardsIT() {
        super("iptables", "/run/ctrnet-test/guards-ipt");
    }
}
