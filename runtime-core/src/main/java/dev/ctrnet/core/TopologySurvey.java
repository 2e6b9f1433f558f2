package dev.ctrnet.core;

import dev.ctrnet.api.Network;
import dev.ctrnet.api.firewall.FirewallZone;
import dev.ctrnet.api.kernel.InterfaceAddress;
import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.api.kernel.Link;
import dev.ctrnet.api.kernel.Netlink;
import dev.ctrnet.api.kernel.NetworkNamespace;
import dev.ctrnet.api.kernel.Route;
import dev.ctrnet.api.kernel.Sysctl;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.core.container.ContainerRecord;
import dev.ctrnet.core.container.NetworkAttachment;
import dev.ctrnet.core.container.ProcessEndpoint;
import dev.ctrnet.core.container.ProcessTable;
import dev.ctrnet.core.firewall.Firewall;
import dev.ctrnet.core.kernel.NativeNamespaces;
import dev.ctrnet.core.plugin.DriverCatalog;
import dev.ctrnet.core.state.StateLock;
import dev.ctrnet.core.state.StateStore;
import dev.ctrnet.core.topology.Topology;
import dev.ctrnet.core.topology.Topology.Device;
import dev.ctrnet.core.topology.Topology.LinkState;
import dev.ctrnet.core.topology.Topology.Member;
import dev.ctrnet.core.topology.Topology.Net;
import dev.ctrnet.core.topology.Topology.Uplink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.inject.Inject;

/**
 * Builds the {@link Topology} from the records and what the host's kernel reports (links and their state,
 * the default route, forwarding). Reads only: a built-in network that was never used is shown as it would be
 * made, and nothing is made for it.
 */
final class TopologySurvey {
    /** The key the bridge driver keeps the host end of a container's cable under, in its attachment's data. */
    static final String HOST_END = "hostInterface";

    private final StateStore store;
    private final DriverCatalog catalog;
    private final NativeNamespaces namespaces;
    private final Sysctl sysctl;
    private final Firewall firewall;
    private final Networks networks;

    @Inject
    TopologySurvey(StateStore store, DriverCatalog catalog, NativeNamespaces namespaces, Sysctl sysctl,
            Firewall firewall, Networks networks) {
        this.store = store;
        this.catalog = catalog;
        this.namespaces = namespaces;
        this.sysctl = sysctl;
        this.firewall = firewall;
        this.networks = networks;
    }

    /** Every stored network, or only {@code network} (a built-in one shown even before it is made). */
    Topology survey(Optional<String> network) {
        try (StateLock lock = store.lock()) {
            List<Network> chosen = network.map(name -> List.of(networks.prospect(name))).orElseGet(store::networks);
            Netlink host = namespaces.netlink(NetworkNamespace.host());
            Map<String, Link> links = host.listLinks().stream()
                    .collect(Collectors.toMap(Link::name, Function.identity(), (a, b) -> a));
            List<ContainerRecord> containers = store.containers();
            List<ProcessEndpoint> endpoints = store.endpoints();
            List<Net> nets = chosen.stream().map(n -> net(n, links, containers, endpoints)).toList();
            return new Topology(uplink(host), forwarding(), backend(), nets);
        }
    }

    /** The state of host link {@code name}. */
    static LinkState state(Map<String, Link> links, String name) {
        Link link = links.get(name);
        return link == null ? LinkState.MISSING : link.up() ? LinkState.UP : LinkState.DOWN;
    }

    private Net net(Network network, Map<String, Link> links, List<ContainerRecord> containers,
            List<ProcessEndpoint> endpoints) {
        Optional<FirewallZone> zone = catalog.driver(network.driver()).flatMap(d -> d.firewallZone(network));
        List<Member> members = new ArrayList<>();
        for (ContainerRecord c : containers) {
            c.attachment(network.name()).ifPresent(a -> members.add(member(c.name(),
                    ProcessTable.isAlive(c.pid(), c.pidStartTime()), a, links,
                    c.networks().get(0).network().equals(network.name()) ? c.ports() : List.of())));
        }
        for (ProcessEndpoint e : endpoints) {
            e.networks().stream().filter(a -> a.network().equals(network.name())).findFirst()
                    .ifPresent(a -> members.add(member(e.label(), ProcessTable.isAlive(e.pid(), e.pidStartTime()), a,
                            links, List.of())));
        }
        return new Net(network.name(), network.driver(),
                zone.flatMap(z -> z.interfaces().single()).map(bridge -> new Device(bridge, state(links, bridge))),
                network.subnet(), network.gateway(),
                network.internal(), zone.map(FirewallZone::masquerade).orElse(false), members);
    }

    private static Member member(String name, boolean running, NetworkAttachment a, Map<String, Link> links,
            List<dev.ctrnet.api.net.PortMapping> ports) {
        Optional<Device> hostEnd = Optional.ofNullable(a.attachment().driverData().get(HOST_END))
                .map(end -> new Device(end, state(links, end)));
        return new Member(name, running, a.attachment().interfaceName(), a.attachment().address(), hostEnd, ports);
    }

    private static Uplink uplink(Netlink host) {
        Optional<Route> route = host.listRoutes().stream().filter(Route::isDefault).findFirst();
        if (route.isEmpty() || route.get().device().isEmpty()) {
            return route.map(r -> new Uplink(Optional.empty(), List.of(), r.gateway())).orElseGet(Uplink::none);
        }
        String device = route.get().device().get();
        int index = host.findLink(device).map(Link::index).orElse(-1);
        List<Cidr> addresses = host.listAddresses().stream().filter(a -> a.linkIndex() == index)
                .map(InterfaceAddress::address).toList();
        return new Uplink(Optional.of(device), addresses, route.get().gateway());
    }

    private boolean forwarding() {
        try {
            return sysctl.read(NetworkNamespace.host(), "net.ipv4.ip_forward").equals("1");
        } catch (KernelException e) {
            return false;
        }
    }

    /** The backend in use; none when none works here, which a picture shows rather than fails on. */
    private Optional<String> backend() {
        try {
            return Optional.of(firewall.backendName());
        } catch (CtrnetException e) {
            return Optional.empty();
        }
    }
}
