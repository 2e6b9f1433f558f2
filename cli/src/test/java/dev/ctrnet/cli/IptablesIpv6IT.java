package dev.ctrnet.cli;

import java.util.List;

/** Issue 13's IPv6 suite on the iptables backend: IPv4 rules in iptables, IPv6 ones in ip6tables. */
class IptablesIpv6IT extends Ipv6Contract {
    IptablesIpv6IT() {
        super("iptables", "/run/ctrnet-test/ipv6-ipt");
    }

    @Override
    String rules() {
        return Shell.run(List.of("iptables-save")).ok().out() + Shell.run(List.of("ip6tables-save")).ok().out();
    }
}
