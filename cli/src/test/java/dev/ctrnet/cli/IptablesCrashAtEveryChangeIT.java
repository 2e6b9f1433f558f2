package dev.ctrnet.cli;

/** Issue 10's crash at every change on the iptables backend. */
class IptablesCrashAtEveryChangeIT extends CrashAtEveryChangeContract {
    IptablesCrashAtEveryChangeIT() {
        super("iptables", "/run/ctrnet-test/crash-every-ipt");
    }
}
