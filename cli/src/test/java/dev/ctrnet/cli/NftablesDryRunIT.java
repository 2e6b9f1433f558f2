package dev.ctrnet.cli;

/** Issue 12's dry runs on the nftables backend. */
class NftablesDryRunIT extends DryRunContract {
    NftablesDryRunIT() {
        super("nftables", "nft");
    }
}
