package dev.ctrnet.cli;

import java.util.List;

/** Issue 4's suite on the nftables backend. */
class NftablesNetworksIT extends NetworksContract {
    NftablesNetworksIT() {
        super("nftables", "/run/ctrnet-test/networks-nft");
    }

    @Override
    String rules() {
        return Shell.run(List.of("nft", "list", "ruleset")).ok().out();
    }

    @Override
    void flushFirewall() {
        Shell.run(List.of("nft", "flush", "ruleset")).ok();
    }
}
