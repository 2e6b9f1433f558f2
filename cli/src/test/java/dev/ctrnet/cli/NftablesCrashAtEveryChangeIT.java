package dev.ctrnet.cli;

/** Issue 10's crash at every change on the nftables backend. */
class NftablesCrashAtEveryChangeIT extends CrashAtEveryChangeContract {
    NftablesCrashAtEveryChangeIT() {
        super("nftables", "/run/ctrnet-test/crash-every-nft");
    }
}
