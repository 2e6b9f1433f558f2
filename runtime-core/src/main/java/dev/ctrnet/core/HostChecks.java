package dev.ctrnet.core;

import dev.ctrnet.api.NatBackend;
import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.firewall.FirewallZone;
import dev.ctrnet.api.firewall.MissingRule;
import dev.ctrnet.api.firewall.PublishedPort;
import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.api.kernel.Link;
import dev.ctrnet.api.kernel.Netlink;
import dev.ctrnet.api.kernel.NetworkNamespace;
import dev.ctrnet.api.kernel.Programs;
import dev.ctrnet.api.kernel.Route;
import dev.ctrnet.api.kernel.Sysctl;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.api.net.PortMapping;
import dev.ctrnet.core.doctor.Hop;
import dev.ctrnet.core.firewall.Firewall;
import dev.ctrnet.core.plugin.DriverCatalog;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The host's part of a container's path, checked for {@code ctrnet doctor}: its links, forwarding, foreign
 * forward policies, the NAT backend's rules, conntrack and its own routes. What the kernel reports is read once
 * per doctor run, when first needed; nothing is changed.
 */
final class HostChecks {
    private static final String IPTABLES_SAVE = "iptables-save";

    private final Netlink host;
    private final Sysctl sysctl;
    private final Programs programs;
    private final Firewall firewall;
    private final DriverCatalog catalog;
    private final String ctrnet;
    private Map<String, Link> links;
    private Optional<List<MissingRule>> missing;
    private String backend;

    /**
     * @param ctrnet how a fix command calls ctrnet on this state root ({@code ctrnet} or {@code ctrnet --root DIR})
     */
    HostChecks(Netlink host, Sysctl sysctl, Programs programs, Firewall firewall, DriverCatalog catalog, String ctrnet) {
        this.host = host;
        this.sysctl = sysctl;
        this.programs = programs;
        this.firewall = firewall;
        this.catalog = catalog;
        this.ctrnet = ctrnet;
    }

    /** The host's links, by name. */
    Map<String, Link> links() {
        if (links == null) {
            links = host.listLinks().stream().collect(Collectors.toMap(Link::name, Function.identity(), (a, b) -> a));
        }
        return links;
    }

    /** How a fix calls ctrnet here. */
    String ctrnet() {
        return ctrnet;
    }

    /** The bridge a zone's containers are behind: there, up, holding the gateway's address. */
    Hop bridge(FirewallZone zone) {
        String name = "bridge " + zone.bridge();
        Link link = links().get(zone.bridge());
        if (link == null) {
            return Hop.broken(name, zone.bridge() + " does not exist", ctrnet + " network reload");
        }
        if (!link.up()) {
            return Hop.broken(name, zone.bridge() + " is down", "ip link set " + zone.bridge() + " up");
        }
        String gateway = IpAddresses.format(zone.gateway()) + "/" + zone.subnet().prefixLength();
        boolean hasGateway = host.listAddresses().stream()
                .anyMatch(a -> a.linkIndex() == link.index() && a.address().address().equals(zone.gateway()));
        if (!hasGateway) {
            return Hop.broken(name, zone.bridge() + " lacks the gateway address " + gateway,
                    "ip addr add " + gateway + " dev " + zone.bridge());
        }
        return Hop.ok(name, "up, gateway " + gateway);
    }

    /** The host's end of a container's cable: there, up, enslaved to the bridge. */
    Hop hostEnd(String end, String bridge) {
        String name = "veth " + end;
        Link link = links().get(end);
        if (link == null) {
            return Hop.broken(name, "the host's end of the cable is gone", "reconnect the container: "
                    + ctrnet + " network disconnect NETWORK CONTAINER && " + ctrnet + " network connect NETWORK CONTAINER");
        }
        if (!link.up()) {
            return Hop.broken(name, end + " is down", "ip link set " + end + " up");
        }
        Optional<Link> master = link.masterIndex()
                .flatMap(i -> links().values().stream().filter(l -> l.index() == i).findFirst());
        if (master.isEmpty() || !master.get().name().equals(bridge)) {
            return Hop.broken(name, end + " is not a port of " + bridge
                    + master.map(m -> " (its master is " + m.name() + ")").orElse(""), "ip link set " + end + " master " + bridge);
        }
        return Hop.ok(name, "up, a port of " + bridge);
    }

    /** {@code net.ipv4.ip_forward}: without it the host routes nothing between the bridge and the uplink. */
    Hop forwarding() {
        String value = read("net.ipv4.ip_forward").orElse("0");
        if (!value.equals("1")) {
            return Hop.broken("ip_forward", "net.ipv4.ip_forward is " + value + ": the host routes nothing", "sysctl -w net.ipv4.ip_forward=1");
        }
        return Hop.ok("ip_forward", "net.ipv4.ip_forward is 1");
    }

    /**
     * {@code br_netfilter}: when loaded with {@code bridge-nf-call-iptables} on, frames between two ports of a
     * bridge pass the firewall's forward hooks too, so a policy of DROP there cuts containers off each other.
     */
    Hop bridgeNetfilter() {
        Optional<String> value = read("net.bridge.bridge-nf-call-iptables");
        if (value.isEmpty()) {
            return Hop.ok("br_netfilter", "not loaded: frames between containers of a bridge skip the firewall");
        }
        return value.get().equals("1")
                ? Hop.note("br_netfilter", "bridge-nf-call-iptables is 1: frames between containers of a bridge pass"
                        + " the firewall's forward chains too")
                : Hop.ok("br_netfilter", "bridge-nf-call-iptables is " + value.get()
                        + ": frames between containers of a bridge skip the firewall");
    }

    /** Whether bridged frames pass the forward hooks (see {@link #bridgeNetfilter}). */
    boolean bridgedFramesFiltered() {
        return read("net.bridge.bridge-nf-call-iptables").filter("1"::equals).isPresent();
    }

    /**
     * A forward chain of someone else's whose policy drops (Docker sets iptables' to DROP) and that accepts
     * nothing of {@code bridge}: ctrnet's own rules only ever drop, so they cannot let its traffic through that.
     */
    Hop forwardPolicy(String bridge) {
        String name = "FORWARD policy";
        boolean iptablesChecked = false;
        if (programs.exists(IPTABLES_SAVE)) {
            Programs.Result saved = programs.run(List.of(IPTABLES_SAVE, "-t", "filter"), "");
            if (saved.ok()) {
                iptablesChecked = true;
                List<String> lines = saved.stdout().lines().toList();
                if (lines.stream().anyMatch(l -> l.startsWith(":FORWARD DROP"))
                        && !(acceptsIptables(lines, "-i " + bridge) && acceptsIptables(lines, "-o " + bridge))) {
                    return Hop.broken(name, "iptables' filter table drops what it forwards by default (chain FORWARD,"
                            + " policy DROP, as Docker sets it) and accepts nothing of " + bridge,
                            "iptables -A FORWARD -i " + bridge + " -j ACCEPT && iptables -A FORWARD -o " + bridge
                                    + " -j ACCEPT");
                }
            }
        }
        for (NftChain chain : foreignDroppingForwardChains(iptablesChecked)) {
            String rules = nft("list chain " + chain.spec() + "\n").stdout();
            String quoted = "\"" + bridge + "\"";
            boolean in = rules.contains("iifname " + quoted + " accept");
            boolean out = rules.contains("oifname " + quoted + " accept");
            if (!in || !out) {
                return Hop.broken(name, "nftables chain " + chain.spec() + " (hook forward) drops by default (policy drop)"
                        + " and accepts nothing of " + bridge, "nft add rule " + chain.spec() + " 'iifname " + quoted
                        + " accept' && nft add rule " + chain.spec() + " 'oifname " + quoted + " accept'");
            }
        }
        return Hop.ok(name, "no foreign forward chain drops by default");
    }

    /** The rule that masquerades what {@code zone} sends to the world, as the NAT backend reads it back. */
    Hop masquerade(FirewallZone zone) {
        String name = "masquerade";
        if (!zone.masquerade()) {
            return Hop.note(name, "network " + zone.network() + " has masquerade=false: its containers leave with"
                    + " their own addresses, so the far side needs a route back to " + zone.subnet());
        }
        return missingRules().map(rules -> rules.stream()
                        .filter(r -> r.network().equals(zone.network()) && r.port().isEmpty()).findFirst()
                        .map(r -> Hop.broken(name, "the " + backend + " rule that masquerades " + zone.subnet()
                                + " is missing (" + r.rule() + ")", ctrnet + " network reload"))
                        .orElseGet(() -> Hop.ok(name, backend + " masquerades " + zone.subnet() + " going out")))
                .orElseGet(() -> Hop.note(name, "the " + backend + " backend cannot tell whether its rules are in place"));
    }

    /** The DNAT rule of a published port, as the NAT backend reads it back. */
    Hop dnat(PublishedPort port) {
        PortMapping m = port.mapping();
        String name = "DNAT " + IpAddresses.format(m.hostIp()) + ":" + m.hostPorts() + "/" + m.protocol().id();
        String target = IpAddresses.format(port.containerIp()) + ":" + m.containerPorts();
        return missingRules().map(rules -> rules.stream()
                        .filter(r -> r.port().equals(Optional.of(port))).findFirst()
                        .map(r -> Hop.broken(name, "the " + backend + " rule that forwards it to " + target
                                + " is missing (" + r.rule() + ")", ctrnet + " network reload"))
                        .orElseGet(() -> Hop.ok(name, backend + " forwards it to " + target)))
                .orElseGet(() -> Hop.note(name, "the " + backend + " backend cannot tell whether its rules are in place"));
    }

    /** The plan's published ports of {@code container}. */
    List<PublishedPort> portsOf(String container) {
        return plan().ports().stream().filter(p -> p.container().equals(container)).toList();
    }

    /** Conntrack's table: when full, the kernel drops every new connection. */
    Hop conntrack() {
        Optional<String> count = read("net.netfilter.nf_conntrack_count");
        Optional<String> max = read("net.netfilter.nf_conntrack_max");
        if (count.isEmpty() || max.isEmpty()) {
            return Hop.note("conntrack", "not loaded yet (NAT rules load it)");
        }
        long used = Long.parseLong(count.get());
        long limit = Long.parseLong(max.get());
        if (limit > 0 && used >= limit) {
            return Hop.broken("conntrack", "the table is full (" + used + " of " + limit
                    + " entries): new connections are dropped", "sysctl -w net.netfilter.nf_conntrack_max=" + limit * 2);
        }
        return Hop.ok("conntrack", used + " of " + limit + " entries in use");
    }

    /** The host's own route towards {@code destination}, or its default route when none is given. */
    Hop route(Optional<InetAddress> destination) {
        String name = "host route";
        List<Route> routes = host.listRoutes();
        Optional<Route> best = routes.stream()
                .filter(r -> destination.map(d -> r.destination().contains(d)).orElse(r.isDefault()))
                .max(Comparator.comparingInt(r -> r.destination().prefixLength()));
        String target = destination.map(IpAddresses::format).orElse("the outside world");
        if (best.isEmpty()) {
            return destination.isPresent()
                    ? Hop.broken(name, "the host has no route to " + target, "ip route add " + target
                            + " via ROUTER (a router of the host's network)")
                    : Hop.note(name, "the host has no default route: containers reach only what the host has routes to");
        }
        Route r = best.get();
        return Hop.ok(name, target + r.gateway().map(g -> " via " + IpAddresses.format(g)).orElse("")
                + r.device().map(d -> " dev " + d).orElse(""));
    }

    private Optional<List<MissingRule>> missingRules() {
        if (missing == null) {
            backend = firewall.backendName();
            NatBackend nat = catalog.requireBackend(backend);
            try {
                missing = nat.missingRules(plan(), programs);
            } catch (KernelException e) {
                missing = Optional.empty();
            }
        }
        return missing;
    }

    private FirewallPlan plan() {
        return firewall.fromRecords();
    }

    private Optional<String> read(String key) {
        try {
            return Optional.of(sysctl.read(NetworkNamespace.host(), key));
        } catch (KernelException e) {
            return Optional.empty();
        }
    }

    private static boolean acceptsIptables(List<String> lines, String match) {
        return lines.stream().anyMatch(l -> l.startsWith("-A FORWARD ") && l.contains(" " + match + " ")
                && l.endsWith("-j ACCEPT"));
    }

    /** A base chain of nftables, named as {@code nft list chain} takes it. */
    private record NftChain(String family, String table, String chain) {
        String spec() {
            return family + " " + table + " " + chain;
        }
    }

    /**
     * The base chains at the forward hook with a policy of drop in tables that are not ctrnet's, leaving out
     * iptables-nft's own {@code FORWARD} chain when iptables-save has been read (it is the same chain).
     */
    private List<NftChain> foreignDroppingForwardChains(boolean iptablesChecked) {
        if (programs.nftables().isEmpty() && !programs.exists("nft")) {
            return List.of();
        }
        Programs.Result listed = nft("list chains\n");
        if (!listed.ok()) {
            return List.of();
        }
        List<NftChain> found = new ArrayList<>();
        String family = "";
        String table = "";
        String chain = "";
        for (String raw : listed.stdout().lines().toList()) {
            String[] words = raw.strip().split("\\s+");
            if (words.length >= 3 && words[0].equals("table")) {
                family = words[1];
                table = words[2];
            } else if (words.length >= 2 && words[0].equals("chain")) {
                chain = words[1];
            } else if (raw.contains("hook forward") && raw.contains("policy drop")) {
                boolean ours = table.equals("ctrnet") || table.startsWith("ctrnet-");
                boolean iptablesOwn = iptablesChecked && table.equals("filter") && chain.equals("FORWARD")
                        && (family.equals("ip") || family.equals("ip6"));
                if (!ours && !iptablesOwn && !family.equals("ip6") && !family.equals("bridge")) {
                    found.add(new NftChain(family, table, chain));
                }
            }
        }
        return found;
    }

    /** {@code script} as {@code nft -f -} runs it: through nftables' library when the runtime has it. */
    private Programs.Result nft(String script) {
        return programs.nftables().map(n -> n.run(script)).orElseGet(() -> programs.run(List.of("nft", "-f", "-"), script));
    }
}
