package dev.ctrnet.cli;

import java.util.ArrayList;
import java.util.List;

/** Issue 10's random sequences on the nftables backend. */
class NftablesRandomSequenceIT extends RandomSequenceContract {
    NftablesRandomSequenceIT() {
        super("nftables", "nft");
    }

    @Override
    void flushFirewall(List<String> prefix) {
        List<String> flush = new ArrayList<>(prefix);
        flush.addAll(List.of("nft", "flush", "ruleset"));
        Shell.run(flush).ok();
    }
}
