package dev.ctrnet.core.undo;

import dev.ctrnet.api.kernel.InterfaceAddress;
import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.api.kernel.Link;
import dev.ctrnet.api.kernel.LinkKind;
import dev.ctrnet.api.kernel.LinkRequest;
import dev.ctrnet.api.kernel.Netlink;
import dev.ctrnet.api.kernel.NetworkNamespace;
import dev.ctrnet.api.kernel.Route;
import dev.ctrnet.api.kernel.SysctlKey;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.MacAddress;
import java.net.InetAddress;
import dev.ctrnet.core.kernel.BridgePorts;
import java.util.List;
import java.util.Optional;

/**
 * A {@link Netlink} that records each change's undo in its {@link RecordingKernel}'s {@link Rollback} before
 * making it. Removals are not recorded: see {@link KernelChange}.
 */
final class RecordingNetlink implements Netlink {
    /** The metric the kernel gives an IPv6 route added without one ({@code IP6_RT_PRIO_USER}). */
    private static final int IPV6_DEFAULT_METRIC = 1024;

    private final Netlink real;
    private final RecordingKernel kernel;

    RecordingNetlink(Netlink real, RecordingKernel kernel) {
        this.real = real;
        this.kernel = kernel;
    }

    @Override
    public NetworkNamespace namespace() {
        return real.namespace();
    }

    @Override
    public List<Link> listLinks() {
        return real.listLinks();
    }

    @Override
    public Optional<Link> findLink(String name) {
        return real.findLink(name);
    }

    @Override
    public void createLink(LinkRequest request) {
        NetworkNamespace bornIn = request.namespace().orElse(namespace());
        recordThen(new KernelChange.LinkCreated(bornIn, request.name()), () -> real.createLink(request));
        kernel.made(bornIn, request.name());
        if (request.kind() instanceof LinkKind.Veth veth) {
            kernel.made(veth.peerNamespace(), veth.peerName());
        }
    }

    @Override
    public void deleteLink(String name) {
        real.deleteLink(name);
    }

    @Override
    public void setUp(String name, boolean up) {
        recordLinkState(name);
        real.setUp(name, up);
    }

    @Override
    public void setMaster(String name, String master) {
        if (!kernel.isMade(namespace(), name)) {
            Optional<Integer> old = real.getLink(name).masterIndex();
            Optional<String> oldMaster = old.flatMap(index -> real.listLinks().stream()
                    .filter(l -> l.index() == index).map(Link::name).findFirst());
            kernel.record(new KernelChange.MasterSet(namespace(), name, oldMaster));
            kernel.joined(namespace(), name);
        }
        real.setMaster(name, master);
    }

    @Override
    public void setMtu(String name, int mtu) {
        recordLinkState(name);
        real.setMtu(name, mtu);
    }

    @Override
    public void setMac(String name, MacAddress mac) {
        recordLinkState(name);
        real.setMac(name, mac);
    }

    @Override
    public void rename(String name, String newName) {
        // recorded for a link this operation made too: its undo deletes it by the name it was made with
        kernel.record(new KernelChange.LinkRenamed(namespace(), name, newName));
        real.rename(name, newName);
        if (kernel.isMade(namespace(), name)) {
            kernel.made(namespace(), newName);
        }
    }

    @Override
    public void moveToNamespace(String name, NetworkNamespace target) {
        kernel.record(new KernelChange.LinkMoved(namespace(), target, name));
        real.moveToNamespace(name, target);
        if (kernel.isMade(namespace(), name)) {
            kernel.made(target, name);
        }
    }

    @Override
    public void setBridgePortIsolated(String name, boolean isolated) {
        recordPortFlag(name, BridgePorts.Flag.ISOLATED);
        real.setBridgePortIsolated(name, isolated);
    }

    @Override
    public void setBridgePortHairpin(String name, boolean hairpin) {
        recordPortFlag(name, BridgePorts.Flag.HAIRPIN);
        real.setBridgePortHairpin(name, hairpin);
    }

    @Override
    public void setIpv6LinkLocal(String name, boolean generate) {
        if (!kernel.isMade(namespace(), name)) {
            SysctlKey mode = KernelChange.Ipv6LinkLocalSet.addressGenerationMode(name);
            try {
                String old = kernel.realSysctl().read(namespace(), mode);
                kernel.record(new KernelChange.Ipv6LinkLocalSet(namespace(), name, old));
            } catch (KernelException e) {
                // no IPv6 on this link (or no such link): the change makes no address, and there is nothing to undo
            }
        }
        real.setIpv6LinkLocal(name, generate);
    }

    @Override
    public void addAddress(String link, Cidr address) {
        recordThen(new KernelChange.AddressAdded(namespace(), link, address), () -> real.addAddress(link, address));
    }

    @Override
    public void deleteAddress(String link, Cidr address) {
        real.deleteAddress(link, address);
    }

    @Override
    public List<InterfaceAddress> listAddresses() {
        return real.listAddresses();
    }

    @Override
    public List<InterfaceAddress> listAddresses(String link) {
        return real.listAddresses(link);
    }

    @Override
    public void addRoute(Route route) {
        recordThen(new KernelChange.RouteAdded(namespace(), route), () -> real.addRoute(route));
    }

    @Override
    public void replaceRoute(Route route) {
        recordThen(new KernelChange.RouteReplaced(namespace(), route, replaceable(route)), () -> real.replaceRoute(route));
    }

    /**
     * The route {@code replaceRoute(route)} replaces: of the same table, destination and metric. One look-up
     * when the kernel's route to the destination's address in that table settles it (always for a host route,
     * {@code /32} or {@code /128}, of the main table): a shorter prefix there says there is none; otherwise the
     * table is listed.
     */
    private Optional<Route> replaceable(Route route) {
        Optional<Route> match = real.findRoute(route.destination().address()).filter(r -> r.table() == route.table());
        if (match.isPresent() && match.get().destination().prefixLength() < route.destination().prefixLength()) {
            return Optional.empty();
        }
        if (match.isPresent() && sameKey(match.get(), route)) {
            return match;
        }
        return real.listRoutes(route.table()).stream().filter(r -> sameKey(r, route)).findFirst();
    }

    /** Whether the kernel files the two routes under one key (IPv6 gives a route without a metric 1024). */
    private static boolean sameKey(Route found, Route route) {
        int metric = route.metric() == 0 && !route.destination().isIpv4() ? IPV6_DEFAULT_METRIC : route.metric();
        return found.table() == route.table() && found.destination().equals(route.destination())
                && found.metric() == metric;
    }

    @Override
    public void deleteRoute(Route route) {
        real.deleteRoute(route);
    }

    @Override
    public List<Route> listRoutes() {
        return real.listRoutes();
    }

    @Override
    public List<Route> listRoutes(int table) {
        return real.listRoutes(table);
    }

    @Override
    public Optional<Route> findRoute(InetAddress destination) {
        return real.findRoute(destination);
    }

    @Override
    public Optional<Route> findDefaultRoute() {
        return real.findDefaultRoute();
    }

    /**
     * Records a creation's undo, then creates. When the kernel answers that the object already exists,
     * the undo is dropped again: that object is not ours to delete.
     */
    private void recordThen(KernelChange change, Runnable create) {
        kernel.record(change);
        try {
            create.run();
        } catch (KernelException e) {
            if (e.errno() == KernelException.EEXIST) {
                kernel.forgetLast();
            }
            throw e;
        }
    }

    /**
     * Remembers a link's up/MTU/MAC before it changes, so the change can be walked back; nothing (and no read)
     * for a link this operation made.
     */
    private void recordLinkState(String name) {
        if (kernel.isMade(namespace(), name)) {
            return;
        }
        Link link = real.getLink(name);
        kernel.record(new KernelChange.LinkChanged(namespace(), name, link.up(), link.mtu(), link.mac()));
    }

    /**
     * Remembers a bridge port's flag before it changes; nothing for a link this operation made or put on its
     * bridge (the flag goes with the link, or the port), nor where the old value cannot be read (a dry run's
     * netlink, which changes nothing).
     */
    private void recordPortFlag(String name, BridgePorts.Flag flag) {
        if (kernel.isMadeOrJoined(namespace(), name) || !(real instanceof BridgePorts ports)) {
            return;
        }
        ports.portFlag(name, flag).ifPresent(old -> kernel.record(
                new KernelChange.BridgePortFlagSet(namespace(), name, flag, old)));
    }
}
