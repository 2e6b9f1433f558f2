package dev.ctrnet.cli;

import java.util.List;

/** Issue 13's IPv6 suite on the nftables backend, whose inet table carries both families. */
class NftablesIpv6IT extends Ipv6Contract {
    NftablesIpv6IT() {
        super("nftables", "/run/ctrnet-test/ipv6-nft");
    }

    @Override
    String rules() {
        return Shell.run(List.of("nft", "list", "ruleset")).ok().out();
    }
}
