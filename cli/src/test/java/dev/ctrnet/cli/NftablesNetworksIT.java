package dev.ctrnet.cli;

import java.util.List;

/** Issue 4's suite on the nftables backend. */
class NftablesNetworksIT extends NetworksContract {
    NftablesNetworksIT() {
        super("nftables", "/run/ctrnet-test/networks-nft");
    }

    /** ctrnet's own tables only: iptables-nft's tables show in {@code nft list ruleset} too. */
    @Override
    String rules() {
        StringBuilder out = new StringBuilder();
        for (String line : Shell.run(List.of("nft", "list", "tables")).ok().out().lines().toList()) {
            String[] words = line.trim().split(" ");
            if (words.length == 3 && words[1].equals("inet") && words[2].startsWith("ctrnet")) {
                out.append(Shell.run(List.of("nft", "list", "table", "inet", words[2])).ok().out());
            }
        }
        return out.toString();
    }

    @Override
    void flushFirewall() {
        Shell.run(List.of("nft", "flush", "ruleset")).ok();
    }
}
