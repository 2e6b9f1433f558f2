package dev.ctrnet.examples.macvlan;

import dev.ctrnet.api.Attachment;
import dev.ctrnet.api.Endpoint;
import dev.ctrnet.api.Network;
import dev.ctrnet.api.NetworkDriver;
import dev.ctrnet.api.ServiceName;
import dev.ctrnet.api.kernel.HostFacts;
import dev.ctrnet.api.kernel.Kernel;
import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.api.kernel.Link;
import dev.ctrnet.api.kernel.LinkKind;
import dev.ctrnet.api.kernel.LinkRequest;
import dev.ctrnet.api.kernel.Netlink;
import dev.ctrnet.api.kernel.Route;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.MacAddress;
import java.util.Map;
import java.util.Optional;

/**
 * Containers with their own MAC and address directly on a host interface's segment, as if plugged
 * into the parent's switch: each container gets a macvlan link on the {@code parent} option's
 * interface, born inside its namespace. There is no bridge, routing or NAT on the host, so the
 * network declares no firewall zone; in bridge mode the containers reach one another and the rest of
 * the segment, but not the parent's own host address (a property of macvlan).
 *
 * <p>{@link ServiceName} declares the name {@link #name()} returns, so that ctrnet can refuse the jar
 * without running any of its code if another driver already has the name.
 */
@ServiceName("macvlan")
public final class MacvlanDriver implements NetworkDriver {
    @Override
    public String name() {
        return "macvlan";
    }

    @Override
    public String version() {
        String version = MacvlanDriver.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    @Override
    public Network validate(Network requested) {
        return requested.withOptions(MacvlanOptions.parse(requested.options()).asMap());
    }

    /** Refuses at {@code network create} a parent that is not there, before anything is made or recorded. */
    @Override
    public Network validate(Network requested, HostFacts host) {
        Network network = validate(requested);
        requireParent(options(network).parent(), host.link(options(network).parent()));
        return network;
    }

    @Override
    public void create(Network network, Kernel kernel) {
        String parent = options(network).parent();
        requireParent(parent, kernel.hostNetlink().findLink(parent));
    }

    private static void requireParent(String parent, Optional<Link> link) {
        if (link.isEmpty()) {
            throw new IllegalArgumentException("parent interface " + parent
                    + " does not exist on this host: name an existing one with --opt parent=INTERFACE");
        }
        if (link.get().kind().equals(Optional.of("macvlan"))) {
            throw new IllegalArgumentException("parent interface " + parent
                    + " is itself a macvlan link: name the interface it sits on");
        }
    }

    @Override
    public void delete(Network network, Kernel kernel) {
        // the parent interface belongs to the host; the containers' links went with their namespaces
    }

    @Override
    public Attachment attach(Network network, Endpoint endpoint, Kernel kernel) {
        MacvlanOptions options = options(network);
        Cidr address = endpoint.address().orElseThrow(() -> new IllegalArgumentException("the macvlan driver needs an address"));
        MacAddress mac = MacAddress.derivedFrom(address.address());
        Netlink inside = kernel.namespaces().netlink(endpoint.sandbox());
        if (inside.findLink(endpoint.interfaceName()).isEmpty()) {
            // Sent to the host, where the parent is; the link is born in the sandbox under its final name.
            kernel.hostNetlink().createLink(LinkRequest.of(endpoint.interfaceName(),
                    new LinkKind.Macvlan(options.parent(), options.mode())).withMac(mac).inNamespace(endpoint.sandbox()));
        }
        if (inside.listAddresses(endpoint.interfaceName()).stream().noneMatch(a -> a.address().equals(address))) {
            inside.addAddress(endpoint.interfaceName(), address);
        }
        inside.setUp(endpoint.interfaceName(), true);
        if (endpoint.defaultRoute() && inside.findDefaultRoute().isEmpty()) {
            inside.addRoute(Route.defaultVia(endpoint.gateway().orElseThrow()));
        }
        return new Attachment(Optional.of(endpoint.interfaceName()), Optional.of(address), endpoint.gateway(),
                Optional.of(mac), endpoint.defaultRoute(), Map.of());
    }

    @Override
    public void detach(Network network, Endpoint endpoint, Attachment attachment, Kernel kernel, boolean sandboxGoing) {
        if (sandboxGoing) {
            return; // deleting the namespace deletes the macvlan link in it, and faster
        }
        try {
            kernel.namespaces().netlink(endpoint.sandbox()).deleteLink(endpoint.interfaceName());
        } catch (KernelException e) {
            if (e.errno() != KernelException.ENODEV) {
                throw e;
            }
        }
    }

    private static MacvlanOptions options(Network network) {
        return MacvlanOptions.parse(network.options());
    }
}
