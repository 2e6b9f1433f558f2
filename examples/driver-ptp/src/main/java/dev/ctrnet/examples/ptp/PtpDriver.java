package dev.ctrnet.examples.ptp;

import dev.ctrnet.api.Attachment;
import dev.ctrnet.api.Endpoint;
import dev.ctrnet.api.Network;
import dev.ctrnet.api.NetworkDriver;
import dev.ctrnet.api.ServiceName;
import dev.ctrnet.api.firewall.FirewallZone;
import dev.ctrnet.api.firewall.HostInterfaces;
import dev.ctrnet.api.kernel.Kernel;
import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.api.kernel.LinkKind;
import dev.ctrnet.api.kernel.LinkRequest;
import dev.ctrnet.api.kernel.NetworkNamespace;
import dev.ctrnet.api.kernel.Netlink;
import dev.ctrnet.api.kernel.Route;
import dev.ctrnet.api.kernel.SysctlKey;
import dev.ctrnet.api.net.Cidr;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;

/**
 * A routed network, as CNI's {@code ptp} plugin makes one: no bridge, but a veth pair per container, a point to
 * point link between the container and the host. The container holds its address as a /32 and reaches everything
 * through the gateway, which it finds by a link-scope route; the host end of every pair holds the gateway address
 * and a route to its one container. The host routes between the containers, so ctrnet's firewall sees every packet
 * they exchange: the network's {@link FirewallZone} names all its host ends by the prefix their names share.
 *
 * <p>{@link ServiceName} declares the name {@link #name()} returns, so that ctrnet can refuse the jar without
 * running any of its code if another driver already has the name.
 */
@ServiceName("ptp")
public final class PtpDriver implements NetworkDriver {
    private static final NetworkNamespace HOST = NetworkNamespace.host();

    @Override
    public String name() {
        return "ptp";
    }

    @Override
    public String version() {
        String version = PtpDriver.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    @Override
    public Network validate(Network requested) {
        if (!requested.options().isEmpty()) {
            throw new IllegalArgumentException("the ptp driver takes no options: drop --opt "
                    + requested.options().keySet().iterator().next());
        }
        if (requested.ipv6()) {
            throw new IllegalArgumentException("the ptp driver is IPv4 only: drop --ipv6");
        }
        return requested;
    }

    /** Nothing to make on the host but forwarding: the links come with the containers. */
    @Override
    public void create(Network network, Kernel kernel) {
        kernel.sysctl().write(HOST, "net.ipv4.ip_forward", "1");
    }

    /** Nothing to remove: each host end went with its container. */
    @Override
    public void delete(Network network, Kernel kernel) {
    }

    @Override
    public Attachment attach(Network network, Endpoint endpoint, Kernel kernel) {
        InetAddress gateway = network.gateway().orElseThrow();
        Cidr own = new Cidr(endpoint.address().orElseThrow().address(), 32);
        Cidr toGateway = new Cidr(gateway, 32);
        String inside = endpoint.interfaceName();
        String hostEnd = hostEnd(network, endpoint);
        Netlink host = kernel.hostNetlink();
        Netlink sandbox = kernel.namespaces().netlink(endpoint.sandbox());

        // The pair, its inside end born in the sandbox under its final name. Every step below tolerates what is
        // already there (EEXIST), which makes attach idempotent without listing the host's links or routes.
        ignoreExisting(() -> host.createLink(LinkRequest.of(hostEnd,
                new LinkKind.Veth(inside, endpoint.sandbox(), Optional.empty(), Optional.empty())).withUp()));

        // The host end: the gateway address (the same on every host end), a route to its one container, and
        // route_localnet, which lets a port published on 127.0.0.1 be sent out of it and its reply come back.
        ignoreExisting(() -> host.addAddress(hostEnd, toGateway));
        ignoreExisting(() -> host.addRoute(new Route(own, Optional.empty(), Optional.of(hostEnd))));
        kernel.sysctl().write(HOST, SysctlKey.ofInterface("ipv4", hostEnd, "route_localnet"), "1");

        // The container's end: its address alone, the gateway on the link (a link-scope route, as the gateway is
        // in no subnet the container holds), and the rest of the network, and the world, through the gateway.
        ignoreExisting(() -> sandbox.addAddress(inside, own));
        sandbox.setUp(inside, true);
        ignoreExisting(() -> sandbox.addRoute(new Route(toGateway, Optional.empty(), Optional.of(inside))));
        ignoreExisting(() -> sandbox.addRoute(new Route(network.subnet().orElseThrow(), Optional.of(gateway),
                Optional.empty())));
        if (endpoint.defaultRoute()) {
            ignoreExisting(() -> sandbox.addRoute(Route.defaultVia(gateway)));
        }
        return new Attachment(Optional.of(inside), Optional.of(own), Optional.of(gateway), Optional.empty(),
                endpoint.defaultRoute(), Map.of("hostInterface", hostEnd));
    }

    @Override
    public void detach(Network network, Endpoint endpoint, Attachment attachment, Kernel kernel, boolean sandboxGoing) {
        if (sandboxGoing) {
            return; // deleting the namespace destroys the pair, with the host end's address and route
        }
        try {
            kernel.hostNetlink().deleteLink(hostEnd(network, endpoint));
        } catch (KernelException e) {
            if (e.errno() != KernelException.ENODEV) {
                throw e;
            }
        }
    }

    /**
     * The firewall's view: the host ends of this network, by their prefix. The runtime asks the NAT backend
     * whether it can render such a zone before it makes the network.
     */
    @Override
    public Optional<FirewallZone> firewallZone(Network network) {
        return Optional.of(new FirewallZone(network.name(), HostInterfaces.prefixed(prefix(network)),
                network.subnet().orElseThrow(), network.gateway().orElseThrow(), true, network.internal(),
                Optional.empty(), Optional.empty()));
    }

    /** The start of every host end's name on {@code network}: {@code pt} and 6 hex digits of its id. */
    static String prefix(Network network) {
        return "pt" + network.id().substring(0, 6);
    }

    /** A container's host end: the network's prefix and 7 hex digits of its id, 15 characters, the most there are. */
    static String hostEnd(Network network, Endpoint endpoint) {
        return prefix(network) + endpoint.containerId().substring(0, 7);
    }

    /** Runs a kernel step that fails with EEXIST when its object is already there, which is then no failure. */
    private static void ignoreExisting(Runnable step) {
        try {
            step.run();
        } catch (KernelException e) {
            if (e.errno() != KernelException.EEXIST) {
                throw e;
            }
        }
    }
}
