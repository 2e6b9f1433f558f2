package dev.ctrnet.cli;

import java.util.List;

/** Issue 10's random sequences on the iptables backend. */
class IptablesRandomSequenceIT extends RandomSequenceContract {
    IptablesRandomSequenceIT() {
        super("iptables", "ipt");
    }

    @Override
    void flushFirewall(List<String> prefix) {
        Shell.run(List.of(prefix.get(0), prefix.get(1), "sh", "-c", "iptables -F && iptables -t nat -F")).ok();
    }
}
