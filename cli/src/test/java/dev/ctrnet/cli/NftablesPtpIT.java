package dev.ctrnet.cli;

/** The routed example driver's suite on the nftables backend. */
class NftablesPtpIT extends PtpContract {
    NftablesPtpIT() {
        super("nftables", "/run/ctrnet-test/ptp-nft");
    }
}
