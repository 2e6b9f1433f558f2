package dev.ctrnet.api.net;

import java.util.List;
import java.util.Map;

/** Which subnets a network may have: none that overlaps a range the kernel routes or treats specially. */
public final class Subnets {
    /**
     * The ranges no network may overlap, and why: a host never routes them to a bridge, or routes them
     * somewhere else (its own loopback), so addresses there would break the host or never work.
     */
    private static final List<Map.Entry<Cidr, String>> RESERVED = List.of(
            Map.entry(Cidr.parse("0.0.0.0/8"), "\"this network\", which is no destination"),
            Map.entry(Cidr.parse("127.0.0.0/8"), "loopback, which is the host's own"),
            Map.entry(Cidr.parse("224.0.0.0/4"), "multicast"),
            Map.entry(Cidr.parse("240.0.0.0/4"), "reserved, with the broadcast address"),
            Map.entry(Cidr.parse("::/128"), "the unspecified address"),
            Map.entry(Cidr.parse("::1/128"), "loopback, which is the host's own"),
            Map.entry(Cidr.parse("ff00::/8"), "multicast"));

    /**
     * The IPv6 ranges no network may overlap besides those above, and why. (IPv4-mapped addresses need no entry:
     * the JDK parses them as the IPv4 addresses they are.)
     */
    private static final List<Map.Entry<Cidr, String>> RESERVED_IPV6 = List.of(
            Map.entry(Cidr.parse("fe80::/10"), "link-local, which every interface has of its own"));

    private Subnets() {}

    /**
     * Returns {@code subnet}, an IPv6 subnet of a dual-stack network, when a network may have it: a /64 or
     * larger, as neighbours and routers expect of a link, and none of the ranges {@link #requireUsable} refuses
     * or fe80::/10 (link-local).
     *
     * @throws IllegalArgumentException saying what is wrong and what to choose instead
     * @since 2.5
     */
    public static Cidr requireUsableIpv6(Cidr subnet) {
        if (subnet.isIpv4()) {
            throw new IllegalArgumentException("subnet " + subnet.network() + " is not an IPv6 subnet");
        }
        if (subnet.prefixLength() > 64) {
            throw new IllegalArgumentException("IPv6 subnet " + subnet.network() + " is smaller than a /64: give a /64"
                    + " or larger, such as fd00:1::/64");
        }
        for (Map.Entry<Cidr, String> reserved : RESERVED_IPV6) {
            if (reserved.getKey().overlaps(subnet)) {
                throw new IllegalArgumentException("subnet " + subnet.network() + " overlaps " + reserved.getKey() + " ("
                        + reserved.getValue() + "): choose a unique local range such as fd00:1::/64");
            }
        }
        return requireUsable(subnet);
    }

    /**
     * Returns {@code subnet} when a network may have it: it overlaps none of 0.0.0.0/8, 127.0.0.0/8 (loopback),
     * 224.0.0.0/4 (multicast), 240.0.0.0/4 (reserved and broadcast), ::/128, ::1/128 and ff00::/8.
     *
     * @throws IllegalArgumentException naming the range it overlaps
     */
    public static Cidr requireUsable(Cidr subnet) {
        for (Map.Entry<Cidr, String> reserved : RESERVED) {
            if (reserved.getKey().overlaps(subnet)) {
                throw new IllegalArgumentException("subnet " + subnet.network() + " overlaps " + reserved.getKey() + " ("
                        + reserved.getValue() + "): choose a private range such as "
                        + (subnet.isIpv4() ? "10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16" : "fd00:1::/64"));
            }
        }
        return subnet;
    }
}
