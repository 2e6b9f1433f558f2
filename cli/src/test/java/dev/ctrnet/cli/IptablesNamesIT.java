package dev.ctrnet.cli;

/** Issue 13's names on the iptables backend. */
class IptablesNamesIT extends NamesContract {
    IptablesNamesIT() {
        super("iptables", "/run/ctrnet-test/names-ipt");
    }
}
