package dev.ctrnet.nat.iptables;

import dev.ctrnet.api.firewall.PublishedPort;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.api.net.PortMapping;
import java.net.Inet6Address;
import java.util.List;
import java.util.stream.IntStream;

/**
 * One DNAT rule of a rule set's DNAT chain ({@link Chains#dnat()}, {@code CTRNET-DNAT} for {@code ctrnet}),
 * written exactly as iptables-save prints it, so the same text can be appended, deleted and compared.
 *
 * @param spec the rule after {@code -A CTRNET-DNAT}
 */
record DnatRule(String spec) {

    /**
     * The rules publishing {@code port} in rule set {@code ruleSet}: one for a same-numbered range, else one
     * per port. Their comment names the rule set and the container, e.g. {@code ctrnet:web}, so a reader of
     * iptables-save can tell which state root a rule belongs to. None on {@code ::1}, where the runtime's
     * userland proxy answers and a DNAT cannot.
     */
    static List<DnatRule> of(String ruleSet, PublishedPort port) {
        PortMapping mapping = port.mapping();
        if (mapping.hostIp() instanceof Inet6Address && mapping.hostIp().isLoopbackAddress()) {
            return List.of();
        }
        Family family = Family.of(port.containerIp());
        // ::1 is answered by ctrnet's userland proxy: a DNAT there would take the connection from it, and the
        // container's reply, turned back to ::1, would be dropped on the bridge
        String every = family == Family.IPV6 ? "! -d " + family.loopback() + " " : "";
        String match = (mapping.hostIp().isAnyLocalAddress() ? every : "-d " + family.host(mapping.hostIp()) + " ")
                + "-p " + mapping.protocol().id() + " -m " + mapping.protocol().id() + " --dport ";
        String comment = " -m comment --comment \"" + ruleSet + ":" + port.container()
                + "\" -j DNAT --to-destination ";
        String container = IpAddresses.format(port.containerIp());
        if (mapping.hostPorts().size() > 1 && mapping.hostPorts().equals(mapping.containerPorts())) {
            return List.of(new DnatRule(match + mapping.hostPorts().first() + ":" + mapping.hostPorts().last()
                    + comment + container));
        }
        return IntStream.range(0, mapping.hostPorts().size())
                .mapToObj(i -> new DnatRule(match + (mapping.hostPorts().first() + i) + comment
                        + family.destination(port.containerIp(), mapping.containerPorts().first() + i)))
                .toList();
    }
}
