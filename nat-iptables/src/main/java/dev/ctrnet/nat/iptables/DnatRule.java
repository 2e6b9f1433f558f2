package dev.ctrnet.nat.iptables;

import dev.ctrnet.api.firewall.PublishedPort;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.api.net.PortMapping;
import java.util.List;
import java.util.stream.IntStream;

/**
 * One DNAT rule of the chain {@code CTRNET-DNAT}, written exactly as iptables-save prints it, so the same
 * text can be appended, deleted and compared.
 *
 * @param spec the rule after {@code -A CTRNET-DNAT}
 */
record DnatRule(String spec) {

    /** The rules publishing {@code port}: one for a same-numbered range, else one per port. */
    static List<DnatRule> of(PublishedPort port) {
        PortMapping mapping = port.mapping();
        String match = (mapping.hostIp().isAnyLocalAddress() ? "" : "-d " + IpAddresses.format(mapping.hostIp()) + "/32 ")
                + "-p " + mapping.protocol().id() + " -m " + mapping.protocol().id() + " --dport ";
        String comment = " -m comment --comment \"ctrnet:" + port.container() + "\" -j DNAT --to-destination ";
        String container = IpAddresses.format(port.containerIp());
        if (mapping.hostPorts().size() > 1 && mapping.hostPorts().equals(mapping.containerPorts())) {
            return List.of(new DnatRule(match + mapping.hostPorts().first() + ":" + mapping.hostPorts().last()
                    + comment + container));
        }
        return IntStream.range(0, mapping.hostPorts().size())
                .mapToObj(i -> new DnatRule(match + (mapping.hostPorts().first() + i) + comment + container + ":"
                        + (mapping.containerPorts().first() + i)))
                .toList();
    }
}
