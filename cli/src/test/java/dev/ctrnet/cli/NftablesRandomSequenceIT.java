package dev.ctrnet.cli;

/** Issue 10's random sequences on the nftables backend. */
class NftablesRandomSequenceIT extends RandomSequenceContract {
    NftablesRandomSequenceIT() {
        super("nftables", "nft");
    }

    @Override
    String flushCommand() {
        return "nft flush ruleset";
    }
}
