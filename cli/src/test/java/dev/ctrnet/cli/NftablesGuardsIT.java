package dev.ctrnet.cli;

/** Issue 8's attacks on the nftables backend. */
class NftablesGuardsIT extends GuardsContract {
    NftablesGuardsIT() {
        super("nftables", "/run/ctrnet-test/guards-nft");
    }
}
