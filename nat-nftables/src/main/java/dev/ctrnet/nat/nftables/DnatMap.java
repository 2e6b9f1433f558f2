package dev.ctrnet.nat.nftables;

import java.util.List;
import java.util.stream.Stream;

/**
 * The maps published ports are dispatched through, four per IP family. A packet is looked up by its destination
 * (address, protocol, port) first, then by (protocol, port) for ports published on every address; the
 * range maps hold same-numbered port ranges as single intervals and rewrite only the address. The IPv6 maps
 * ({@code dnat6-…}) are in the table only when a network is dual-stack.
 */
enum DnatMap {
    ADDRESS("dnat-addr", "ipv4_addr . inet_proto . inet_service : ipv4_addr . inet_service",
            "ip daddr . meta l4proto . th dport", false),
    ANY_ADDRESS("dnat-any", "inet_proto . inet_service : ipv4_addr . inet_service",
            "meta l4proto . th dport", false),
    ADDRESS_RANGE("dnat-addr-range", "ipv4_addr . inet_proto . inet_service : ipv4_addr",
            "ip daddr . meta l4proto . th dport", true),
    ANY_ADDRESS_RANGE("dnat-any-range", "inet_proto . inet_service : ipv4_addr",
            "meta l4proto . th dport", true),
    ADDRESS6("dnat6-addr", "ipv6_addr . inet_proto . inet_service : ipv6_addr . inet_service",
            "ip6 daddr . meta l4proto . th dport", false),
    ANY_ADDRESS6("dnat6-any", "inet_proto . inet_service : ipv6_addr . inet_service",
            "meta l4proto . th dport", false),
    ADDRESS_RANGE6("dnat6-addr-range", "ipv6_addr . inet_proto . inet_service : ipv6_addr",
            "ip6 daddr . meta l4proto . th dport", true),
    ANY_ADDRESS_RANGE6("dnat6-any-range", "inet_proto . inet_service : ipv6_addr",
            "meta l4proto . th dport", true);

    /** The maps of one family, in the order a packet is looked up in them. */
    static List<DnatMap> of(boolean ipv6) {
        return Stream.of(values()).filter(m -> m.ipv6() == ipv6).toList();
    }

    /** The map for a port of this family, on one address or every address, one port at a time or a range. */
    static DnatMap of(boolean ipv6, boolean everyAddress, boolean range) {
        if (range) {
            return everyAddress ? (ipv6 ? ANY_ADDRESS_RANGE6 : ANY_ADDRESS_RANGE) : (ipv6 ? ADDRESS_RANGE6 : ADDRESS_RANGE);
        }
        return everyAddress ? (ipv6 ? ANY_ADDRESS6 : ANY_ADDRESS) : (ipv6 ? ADDRESS6 : ADDRESS);
    }

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

    /** Whether it holds IPv6 ports. */
    boolean ipv6() {
        return type.contains("ipv6_addr");
    }

    /**
     * The rule that DNATs a packet found in this map; a packet not found falls through to the next rule. The
     * family is explicit ({@code dnat ip}, {@code dnat ip6}), so that a packet is looked up in its family's maps only.
     */
    String dnatRule() {
        // ::1 is answered by ctrnet's userland proxy: a DNAT there would take the connection from it, and the
        // container's reply, turned back to ::1, would be dropped on the bridge
        String notLoopback = this == ANY_ADDRESS6 || this == ANY_ADDRESS_RANGE6 ? "ip6 daddr != ::1 " : "";
        return notLoopback + "dnat " + (ipv6() ? "ip6" : "ip") + " to " + lookupKey + " map @" + mapName;
    }
}
