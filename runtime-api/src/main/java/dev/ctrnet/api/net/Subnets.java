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

    private Subnets() {}

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
                        + reserved.getValue() + "): choose a private range such as 10.0.0.0/8, 172.16.0.0/12 or"
                        + " 192.168.0.0/16");
            }
        }
        return subnet;
    }
}
