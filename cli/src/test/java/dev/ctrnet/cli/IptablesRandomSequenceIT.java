package dev.ctrnet.cli;

/** Issue 10's random sequences on the iptables backend. */
class IptablesRandomSequenceIT extends RandomSequenceContract {
    IptablesRandomSequenceIT() {
        super("iptables", "ipt");
    }

    @Override
    String flushCommand() {
        return "iptables -F && iptables -t nat -F";
    }
}
