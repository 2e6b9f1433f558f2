package dev.ctrnet.nat.nftables;

import dev.ctrnet.api.firewall.PublishedPort;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.api.net.PortMapping;
import java.net.Inet6Address;
import java.util.List;
import java.util.stream.IntStream;

/**
 * One element of a {@link DnatMap}: the key a packet is looked up by and where it is sent.
 *
 * @param map the map it belongs to
 * @param key the key, e.g. {@code 198.51.100.1 . tcp . 8080}
 * @param destination the value, e.g. {@code 10.77.0.2 . 80}, or just the address for a range map
 */
record DnatElement(DnatMap map, String key, String destination) {

    /**
     * The elements publishing {@code port}: one interval for a same-numbered range, else one per port; none on
     * {@code ::1}, where the runtime's userland proxy answers and a DNAT cannot.
     */
    static List<DnatElement> of(PublishedPort port) {
        PortMapping mapping = port.mapping();
        if (mapping.hostIp() instanceof Inet6Address && mapping.hostIp().isLoopbackAddress()) {
            return List.of();
        }
        boolean everyAddress = mapping.hostIp().isAnyLocalAddress();
        String keyPrefix = (everyAddress ? "" : IpAddresses.format(mapping.hostIp()) + " . ")
                + mapping.protocol().id() + " . ";
        String container = IpAddresses.format(port.containerIp());
        boolean ipv6 = port.containerIp() instanceof Inet6Address;
        if (isSameNumberedRange(mapping)) {
            DnatMap map = DnatMap.of(ipv6, everyAddress, true);
            return List.of(new DnatElement(map, keyPrefix + mapping.hostPorts(), container));
        }
        DnatMap map = DnatMap.of(ipv6, everyAddress, false);
        return IntStream.range(0, mapping.hostPorts().size())
                .mapToObj(i -> new DnatElement(map, keyPrefix + (mapping.hostPorts().first() + i),
                        container + " . " + (mapping.containerPorts().first() + i)))
                .toList();
    }

    private static boolean isSameNumberedRange(PortMapping mapping) {
        return mapping.hostPorts().size() > 1 && mapping.hostPorts().equals(mapping.containerPorts());
    }

    /** The element as written inside {@code elements = { … }} or {@code add element}. */
    String render() {
        return key + " : " + destination;
    }
}
