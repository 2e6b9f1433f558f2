package dev.ctrnet.core;

import dev.ctrnet.api.Network;
import dev.ctrnet.api.firewall.FirewallZone;
import dev.ctrnet.api.firewall.PublishedPort;
import dev.ctrnet.api.kernel.InterfaceAddress;
import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.api.kernel.Link;
import dev.ctrnet.api.kernel.Netlink;
import dev.ctrnet.api.kernel.NetworkNamespace;
import dev.ctrnet.api.kernel.Programs;
import dev.ctrnet.api.kernel.Route;
import dev.ctrnet.api.kernel.Sysctl;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.core.container.ContainerRecord;
import dev.ctrnet.core.container.NetworkAttachment;
import dev.ctrnet.core.container.ProcessTable;
import dev.ctrnet.core.doctor.Destination;
import dev.ctrnet.core.doctor.Diagnosis;
import dev.ctrnet.core.doctor.Hop;
import dev.ctrnet.core.firewall.Firewall;
import dev.ctrnet.core.kernel.NativeNamespaces;
import dev.ctrnet.core.plugin.DriverCatalog;
import dev.ctrnet.core.state.StateLock;
import dev.ctrnet.core.state.StateStore;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import javax.inject.Inject;

/**
 * {@code ctrnet doctor}: walks a container's path hop by hop, in the order a packet takes them — its
 * interface, address and route, the host's end of its cable, the bridge, then the host's forwarding, foreign
 * forward policies, the NAT backend's rules, conntrack and the host's own route — and says what each shows,
 * with the command that repairs a broken one. Reads only.
 */
final class Doctor {
    private final RuntimeConfig config;
    private final StateStore store;
    private final DriverCatalog catalog;
    private final NativeNamespaces namespaces;
    private final Sysctl sysctl;
    private final Programs programs;
    private final Firewall firewall;

    @Inject
    Doctor(RuntimeConfig config, StateStore store, DriverCatalog catalog, NativeNamespaces namespaces, Sysctl sysctl,
            Programs programs, Firewall firewall) {
        this.config = config;
        this.store = store;
        this.catalog = catalog;
        this.namespaces = namespaces;
        this.sysctl = sysctl;
        this.programs = programs;
        this.firewall = firewall;
    }

    /**
     * The paths to check: {@code container}'s to {@code to} (or to the outside world and from its published
     * ports); without a container, the path to the container that has address {@code to} or publishes its port;
     * without either, every running container's.
     */
    List<Diagnosis> diagnose(Optional<String> container, Optional<Destination> to) {
        try (StateLock lock = store.lock()) {
            String ctrnet = config.root().equals(RuntimeConfig.DEFAULT_ROOT) ? "ctrnet" : "ctrnet --root " + config.root();
            HostChecks host = new HostChecks(namespaces.netlink(NetworkNamespace.host()), sysctl, programs, firewall,
                    catalog, ctrnet);
            List<ContainerRecord> records = store.containers();
            if (container.isPresent()) {
                ContainerRecord record = records.stream().filter(c -> c.name().equals(container.get())).findFirst()
                        .orElseThrow(() -> CtrnetException.noSuchContainer(container.get()));
                return List.of(from(record, to, records, host));
            }
            if (to.isPresent()) {
                return List.of(towards(to.get(), records, host));
            }
            return records.stream().filter(c -> ProcessTable.isAlive(c.pid(), c.pidStartTime()))
                    .map(c -> from(c, Optional.empty(), records, host)).toList();
        }
    }

    /** From a container: to {@code to}, or out to the world (and in through its published ports). */
    private Diagnosis from(ContainerRecord record, Optional<Destination> to, List<ContainerRecord> records,
            HostChecks host) {
        if (record.netns().isEmpty() || record.networks().isEmpty()) {
            String why = record.netns().isEmpty() ? "shares the host's network namespace: its path is the host's"
                    : "has no network but loopback";
            return new Diagnosis(record.name(), List.of(running(record), Hop.note("network", record.name() + " " + why)));
        }
        Optional<NetworkAttachment> local = to.flatMap(d -> record.networks().stream()
                .filter(a -> a.attachment().address().map(c -> c.network().contains(d.address())).orElse(false))
                .findFirst());
        if (local.isPresent()) {
            return local(record, local.get(), to.get(), records, host);
        }
        NetworkAttachment a = record.networks().stream().filter(n -> n.attachment().defaultRoute()).findFirst()
                .orElse(record.networks().get(0));
        Optional<InetAddress> target = to.map(Destination::address);
        String path = record.name() + " -> " + to.map(Object::toString).orElse("the outside world")
                + " (through network " + a.network() + ")";
        List<Hop> hops = new ArrayList<>(containerSide(record, a, target, true, host));
        Optional<FirewallZone> zone = zone(a.network());
        if (zone.isEmpty()) {
            hops.add(Hop.note("network " + a.network(), "its driver does not route through the host: nothing more to check"));
            return new Diagnosis(path, hops);
        }
        if (zone.get().internal()) {
            String detail = "network " + a.network() + " is internal: it reaches nothing outside itself, by design";
            hops.add(to.isPresent()
                    ? Hop.broken("network " + a.network(), detail, "connect the container to a network that is not"
                            + " internal: " + host.ctrnet() + " network connect bridge " + record.name())
                    : Hop.note("network " + a.network(), detail));
        } else {
            hops.add(host.forwarding());
            forwardPolicy(zone.get(), host).ifPresent(hops::add);
            hops.add(host.masquerade(zone.get()));
            hops.add(host.conntrack());
            hops.add(host.route(target));
        }
        if (to.isEmpty()) {
            host.portsOf(record.name()).forEach(p -> hops.add(host.dnat(p)));
        }
        return new Diagnosis(path, hops);
    }

    /** Between a container and an address of one of its own networks: another container, or the gateway. */
    private Diagnosis local(ContainerRecord record, NetworkAttachment a, Destination to, List<ContainerRecord> records,
            HostChecks host) {
        String path = record.name() + " -> " + to + " (on network " + a.network() + ")";
        List<Hop> hops = new ArrayList<>(containerSide(record, a, Optional.of(to.address()), false, host));
        boolean toGateway = a.attachment().gateway().map(to.address()::equals).orElse(false);
        Optional<FirewallZone> zone = zone(a.network());
        if (!toGateway) {
            zone.ifPresent(z -> {
                hops.add(host.bridgeNetfilter());
                if (host.bridgedFramesFiltered()) {
                    forwardPolicy(z, host).ifPresent(hops::add);
                }
            });
            Optional<ContainerRecord> peer = records.stream().filter(c -> c != record)
                    .filter(c -> c.attachment(a.network()).flatMap(p -> p.attachment().address())
                            .map(cidr -> cidr.address().equals(to.address())).orElse(false))
                    .findFirst();
            if (peer.isEmpty()) {
                hops.add(Hop.note("peer " + to.address().getHostAddress(), "no container of network " + a.network()
                        + " has this address"));
            } else {
                NetworkAttachment theirs = peer.get().attachment(a.network()).orElseThrow();
                List<Hop> side = containerSide(peer.get(), theirs, a.attachment().address().map(Cidr::address), false, host);
                Collections.reverse(side);
                // the bridge was walked once already, on the way in
                side.stream().filter(h -> !h.name().startsWith("bridge ")).forEach(hops::add);
            }
        }
        return new Diagnosis(path, hops);
    }

    /** From the host (or through a published port of it) to a container. */
    private Diagnosis towards(Destination to, List<ContainerRecord> records, HostChecks host) {
        for (ContainerRecord c : records) {
            for (NetworkAttachment a : c.networks()) {
                if (a.attachment().address().map(cidr -> cidr.address().equals(to.address())).orElse(false)) {
                    List<Hop> hops = new ArrayList<>(containerSide(c, a, a.attachment().gateway(), false, host));
                    Collections.reverse(hops);
                    return new Diagnosis("the host -> " + to + " (" + c.name() + " on network " + a.network() + ")", hops);
                }
            }
        }
        if (to.port().isPresent()) {
            int port = to.port().getAsInt();
            for (ContainerRecord c : records) {
                for (PublishedPort p : host.portsOf(c.name())) {
                    boolean address = p.mapping().hostIp().isAnyLocalAddress() || p.mapping().hostIp().equals(to.address());
                    if (address && port >= p.mapping().hostPorts().first() && port <= p.mapping().hostPorts().last()) {
                        return published(c, p, to, host);
                    }
                }
            }
        }
        throw new CtrnetException("no container has address " + IpAddresses.format(to.address())
                + (to.port().isPresent() ? " or publishes port " + to.port().getAsInt() : "")
                + ": name a container to check its path there (ctrnet doctor CONTAINER --to " + to + ")");
    }

    /** In through a published port: the DNAT rule, the host's forwarding, then the container's side. */
    private Diagnosis published(ContainerRecord c, PublishedPort p, Destination to, HostChecks host) {
        NetworkAttachment a = c.attachment(p.network()).orElseThrow();
        List<Hop> hops = new ArrayList<>(List.of(host.dnat(p)));
        zone(a.network()).ifPresent(z -> {
            hops.add(host.forwarding());
            forwardPolicy(z, host).ifPresent(hops::add);
            hops.add(host.conntrack());
        });
        List<Hop> side = containerSide(c, a, Optional.empty(), true, host);
        Collections.reverse(side);
        hops.addAll(side);
        return new Diagnosis(to + " -> " + c.name() + " (published port " + p.mapping().describe() + ")", hops);
    }

    /**
     * The container's part of the path and its cable to the bridge: whether it runs, its interface, address and
     * route (the default route for {@code outward}, else one to {@code target}), the host's end, the bridge.
     */
    private List<Hop> containerSide(ContainerRecord record, NetworkAttachment a, Optional<InetAddress> target,
            boolean outward, HostChecks host) {
        List<Hop> hops = new ArrayList<>(List.of(running(record)));
        Path netns = record.netns().orElseThrow();
        if (!Files.exists(netns)) {
            hops.add(Hop.broken("namespace", "its network namespace " + netns + " is gone", "remove it and run it again: "
                    + host.ctrnet() + " rm -f " + record.name()));
            return hops;
        }
        String enter = "nsenter --net=" + netns + " ";
        Netlink inside = namespaces.netlink(new NetworkNamespace(netns));
        String ifname = a.interfaceName();
        Optional<Link> link = inside.findLink(ifname);
        if (link.isEmpty()) {
            hops.add(Hop.broken("interface " + ifname, ifname + " is gone from " + record.name(), host.ctrnet()
                    + " network disconnect " + a.network() + " " + record.name() + " && " + host.ctrnet()
                    + " network connect " + a.network() + " " + record.name()));
        } else if (!link.get().up()) {
            hops.add(Hop.broken("interface " + ifname, ifname + " is down in " + record.name(), enter + "ip link set "
                    + ifname + " up"));
        } else {
            hops.add(Hop.ok("interface " + ifname, "up in " + record.name()));
        }
        a.attachment().address().ifPresent(address -> hops.add(address(inside, link, ifname, address, enter)));
        hops.add(route(inside, a, target, outward, enter));
        Optional<FirewallZone> zone = zone(a.network());
        Optional<String> end = Optional.ofNullable(a.attachment().driverData().get(TopologySurvey.HOST_END));
        Optional<String> bridge = zone.flatMap(z -> z.interfaces().single());
        if (bridge.isPresent()) {
            end.ifPresent(e -> hops.add(host.hostEnd(e, bridge.get())));
            hops.add(host.bridge(zone.get()));
        }
        return hops;
    }

    /**
     * The host's FORWARD policy for a zone whose interfaces one iptables pattern matches (a bridge, or a name
     * prefix); none for a zone of several interfaces, whose accepts the check cannot tell.
     */
    private static Optional<Hop> forwardPolicy(FirewallZone zone, HostChecks host) {
        List<String> patterns = zone.interfaces().patterns("+");
        return patterns.size() == 1 ? Optional.of(host.forwardPolicy(patterns.get(0))) : Optional.empty();
    }

    private static Hop running(ContainerRecord record) {
        String name = "container " + record.name();
        if (!ProcessTable.isAlive(record.pid(), record.pidStartTime())) {
            return Hop.note(name, "not running: its network is checked all the same");
        }
        return Hop.ok(name, "running, pid " + record.pid());
    }

    private static Hop address(Netlink inside, Optional<Link> link, String ifname, Cidr address, String enter) {
        String name = "address " + address;
        boolean present = link.isPresent() && inside.listAddresses().stream()
                .anyMatch(x -> x.linkIndex() == link.get().index() && x.address().equals(address));
        if (!present) {
            return Hop.broken(name, ifname + " lacks its address " + address, enter + "ip addr add " + address + " dev " + ifname);
        }
        return Hop.ok(name, "on " + ifname);
    }

    /** The default route for a path outward (via the network's gateway when it is the one that gave it), else a route to the target. */
    private static Hop route(Netlink inside, NetworkAttachment a, Optional<InetAddress> target, boolean outward,
            String enter) {
        List<Route> routes = inside.listRoutes();
        Optional<InetAddress> gateway = a.attachment().gateway();
        if (outward && target.isEmpty()) {
            Optional<Route> dflt = routes.stream().filter(Route::isDefault).findFirst();
            if (dflt.isEmpty()) {
                return Hop.broken("route", "no default route: only the container's own subnets are reachable",
                        enter + "ip route add default via " + gateway.map(IpAddresses::format).orElse("GATEWAY"));
            }
            return Hop.ok("route", "default" + describe(dflt.get()));
        }
        InetAddress dest = target.orElseGet(() -> gateway.orElseThrow());
        Optional<Route> best = routes.stream().filter(r -> r.destination().contains(dest))
                .max(Comparator.comparingInt(r -> r.destination().prefixLength()));
        if (best.isEmpty()) {
            return Hop.broken("route", "no route to " + IpAddresses.format(dest), enter + "ip route add "
                    + (outward ? "default" : IpAddresses.format(dest)) + " via "
                    + gateway.map(IpAddresses::format).orElse("GATEWAY"));
        }
        return Hop.ok("route", IpAddresses.format(dest) + describe(best.get()));
    }

    private static String describe(Route r) {
        return r.gateway().map(g -> " via " + IpAddresses.format(g)).orElse("") + r.device().map(d -> " dev " + d).orElse("");
    }

    /** The firewall zone of a stored network: what its driver routes through the host, if anything. */
    private Optional<FirewallZone> zone(String network) {
        Optional<Network> n = store.network(network);
        return n.flatMap(x -> catalog.driver(x.driver()).flatMap(d -> d.firewallZone(x)));
    }
}
