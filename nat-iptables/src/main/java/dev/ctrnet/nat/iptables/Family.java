package dev.ctrnet.nat.iptables;

import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.firewall.FirewallZone;
import dev.ctrnet.api.firewall.PublishedPort;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * The IP family a script is for: iptables holds the IPv4 rules, ip6tables the IPv6 ones of dual-stack
 * networks, in chains of the same names (see {@link Chains}).
 */
enum Family {
    IPV4("iptables", 32, "127.0.0.0/8"),
    IPV6("ip6tables", 128, "::1/128");

    private final String tool;
    private final int hostPrefix;
    private final String loopback;

    Family(String tool, int hostPrefix, String loopback) {
        this.tool = tool;
        this.hostPrefix = hostPrefix;
        this.loopback = loopback;
    }

    /** The family of {@code address}. */
    static Family of(InetAddress address) {
        return address instanceof Inet6Address ? IPV6 : IPV4;
    }

    /** The restore command, {@code iptables-restore --noflush} or {@code ip6tables-restore --noflush}. */
    List<String> restore() {
        return List.of(tool + "-restore", "--noflush");
    }

    /** The save command. */
    List<String> save() {
        return List.of(tool + "-save");
    }

    /** The tool's name, for messages. */
    String tool() {
        return tool;
    }

    /** The loopback range, which only {@code lo} may bring in. */
    String loopback() {
        return loopback;
    }

    /** {@code address} as a one-address prefix, as iptables-save prints a {@code -d}. */
    String host(InetAddress address) {
        return IpAddresses.format(address) + "/" + hostPrefix;
    }

    /** A DNAT destination with a port: IPv6 addresses in brackets, as iptables-save prints them. */
    String destination(InetAddress address, int port) {
        String literal = IpAddresses.format(address);
        return (this == IPV6 ? "[" + literal + "]" : literal) + ":" + port;
    }

    /** The zone's subnet of this family, if it has one. */
    Optional<Cidr> subnet(FirewallZone zone) {
        return this == IPV4 ? Optional.of(zone.subnet()) : zone.subnet6();
    }

    /** Whether this family's forwarding guard is on. */
    boolean guarded(FirewallPlan plan) {
        return this == IPV4 ? plan.forwardingGuard() : plan.forwardingGuard6();
    }

    /** The ports of {@code plan} of this family. */
    List<PublishedPort> ports(List<PublishedPort> ports) {
        return ports.stream().filter(p -> of(p.containerIp()) == this).toList();
    }

    /** Whether {@code plan} needs rules of this family: IPv4 always, IPv6 for a dual-stack network or its guard. */
    boolean neededBy(FirewallPlan plan) {
        return this == IPV4 || plan.forwardingGuard6() || plan.zones().stream().anyMatch(z -> z.subnet6().isPresent());
    }
}
