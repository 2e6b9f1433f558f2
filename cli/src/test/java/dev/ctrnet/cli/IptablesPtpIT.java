package dev.ctrnet.cli;

/** The routed example driver's suite on the iptables backend. */
class IptablesPtpIT extends PtpContract {
    IptablesPtpIT() {
        super("iptables", "/run/ctrnet-test/ptp-ipt");
    }
}
