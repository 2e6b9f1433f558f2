package dev.ctrnet.core.undo;

import dev.ctrnet.api.kernel.InterfaceAddress;
import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.api.kernel.Link;
import dev.ctrnet.api.kernel.LinkRequest;
import dev.ctrnet.api.kernel.Netlink;
import dev.ctrnet.api.kernel.NetworkNamespace;
import dev.ctrnet.api.kernel.Route;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.MacAddress;
import java.util.List;
import java.util.Optional;

/** A {@link Netlink} that records each change's undo in a {@link Rollback} before making it. */
final class RecordingNetlink implements Netlink {
    private final Netlink real;
    private final Rollback rollback;

    RecordingNetlink(Netlink real, Rollback rollback) {
        this.real = real;
        this.rollback = rollback;
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
        recordThen(new KernelChange.LinkCreated(request.namespace().orElse(namespace()), request.name()),
                () -> real.createLink(request));
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
        rollback.record(new KernelChange.LinkRenamed(namespace(), name, newName));
        real.rename(name, newName);
    }

    @Override
    public void moveToNamespace(String name, NetworkNamespace target) {
        rollback.record(new KernelChange.LinkMoved(namespace(), target, name));
        real.moveToNamespace(name, target);
    }

    @Override
    public void setBridgePortIsolated(String name, boolean isolated) {
        real.setBridgePortIsolated(name, isolated);
    }

    @Override
    public void setBridgePortHairpin(String name, boolean hairpin) {
        real.setBridgePortHairpin(name, hairpin);
    }

    @Override
    public void setIpv6LinkLocal(String name, boolean generate) {
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
    public void addRoute(Route route) {
        recordThen(new KernelChange.RouteAdded(namespace(), route), () -> real.addRoute(route));
    }

    @Override
    public void deleteRoute(Route route) {
        real.deleteRoute(route);
    }

    @Override
    public List<Route> listRoutes() {
        return real.listRoutes();
    }

    /**
     * Records a creation's undo, then creates. When the kernel answers that the object already exists,
     * the undo is dropped again: that object is not ours to delete.
     */
    private void recordThen(KernelChange change, Runnable create) {
        rollback.record(change);
        try {
            create.run();
        } catch (KernelException e) {
            if (e.errno() == KernelException.EEXIST) {
                rollback.forgetLast();
            }
            throw e;
        }
    }

    /** Remembers a link's up/MTU/MAC before it changes, so the change can be walked back. */
    private void recordLinkState(String name) {
        Link link = real.getLink(name);
        rollback.record(new KernelChange.LinkChanged(namespace(), name, link.up(), link.mtu(), link.mac()));
    }
}
