package dev.ctrnet.nat.nftables;

/**
 * The four maps published ports are dispatched through. A packet is looked up by its destination
 * (address, protocol, port) first, then by (protocol, port) for ports published on every address; the
 * range maps hold same-numbered port ranges as single intervals and rewrite only the address.
 */
enum DnatMap {
    ADDRESS("dnat-addr", "ipv4_addr . inet_proto . inet_service : ipv4_addr . inet_service",
            "ip daddr . meta l4proto . th dport", false),
    ANY_ADDRESS("dnat-any", "inet_proto . inet_service : ipv4_addr . inet_service",
            "meta l4proto . th dport", false),
    ADDRESS_RANGE("dnat-addr-range", "ipv4_addr . inet_proto . inet_service : ipv4_addr",
            "ip daddr . meta l4proto . th dport", true),
    ANY_ADDRESS_RANGE("dnat-any-range", "inet_proto . inet_service : ipv4_addr",
            "meta l4proto . th dport", true);

    private final String mapName;
    private final String type;
    private final String lookupKey;
    private final boolean interval;

    DnatMap(String mapName, String type, String lookupKey, boolean interval) {
        this.mapName = mapName;
        this.type = type;
        this.lookupKey = lookupKey;
        this.interval = interval;
    }

    /** The map's name in the table. */
    String mapName() {
        return mapName;
    }

    /** Its key and value types, as nft declares them. */
    String type() {
        return type;
    }

    /** Whether its keys are port intervals. */
    boolean interval() {
        return interval;
    }

    /** The rule that DNATs a packet found in this map; a packet not found falls through to the next rule. */
    String dnatRule() {
        return "dnat ip to " + lookupKey + " map @" + mapName;
    }
}
