package dev.ctrnet.cli;

/** Issue 13's names on the nftables backend. */
class NftablesNamesIT extends NamesContract {
    NftablesNamesIT() {
        super("nftables", "/run/ctrnet-test/names-nft");
    }
}
