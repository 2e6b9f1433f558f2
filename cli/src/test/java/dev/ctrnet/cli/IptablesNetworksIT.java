package dev.ctrnet.cli;

import java.util.List;

/** Issue 4's suite on the iptables backend. */
class IptablesNetworksIT extends NetworksContract {
    IptablesNetworksIT() {
        super("iptables", "/run/ctrnet-test/networks-ipt");
    }

    @Override
    String rules() {
        return Shell.run(List.of("iptables-save")).ok().out();
    }

    @Override
    void flushFirewall() {
        Shell.run(List.of("iptables", "-F")).ok();
        Shell.run(List.of("iptables", "-t", "nat", "-F")).ok();
    }
}
