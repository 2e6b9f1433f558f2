package dev.ctrnet.cli;

/** {@code ctrnet doctor} on the nftables backend. */
class NftablesDoctorIT extends DoctorContract {
    NftablesDoctorIT() {
        super("nftables", "/run/ctrnet-test/doctor-nft", "10.51.0.0/24", 18051);
    }

    /** The rule's handle, found in whichever ctrnet table holds it. */
    @Override
    String masqueradeDeletion(String subnet, String bridge) {
        String rule = "ip saddr " + subnet + " oifname != \\\"" + bridge + "\\\" masquerade";
        return "for t in $(nft list tables | awk '$2 == \"inet\" && $3 ~ /^ctrnet/ {print $3}'); do"
                + " h=$(nft -a list chain inet $t postrouting | grep -F \"" + rule + " #\" | sed 's/.*# handle //');"
                + " [ -n \"$h\" ] && nft delete rule inet $t postrouting handle $h && exit 0; done; exit 1";
    }
}
