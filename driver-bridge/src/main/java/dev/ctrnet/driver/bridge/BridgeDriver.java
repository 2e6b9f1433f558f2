package dev.ctrnet.driver.bridge;

import dev.ctrnet.api.Attachment;
import dev.ctrnet.api.Endpoint;
import dev.ctrnet.api.Network;
import dev.ctrnet.api.NetworkDriver;
import dev.ctrnet.api.NetworkSpec;
import dev.ctrnet.api.firewall.FirewallZone;
import dev.ctrnet.api.kernel.HostFacts;
import dev.ctrnet.api.kernel.Kernel;
import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.api.kernel.Link;
import dev.ctrnet.api.kernel.LinkKind;
import dev.ctrnet.api.kernel.LinkRequest;
import dev.ctrnet.api.kernel.Netlink;
import dev.ctrnet.api.kernel.NetworkNamespace;
import dev.ctrnet.api.kernel.SysctlKey;
import dev.ctrnet.api.kernel.Route;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.MacAddress;
import java.net.Inet4Address;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tutorials' topology: a Linux bridge as the switch, holding the gateway address; per container a
 * veth pair as the cable, its container end born inside the container's namespace as {@code eth0}
 * with the leased address and a default route via the gateway. Routing and NAT to the outside come
 * from IP forwarding and the firewall zone this driver declares.
 */
public final class BridgeDriver implements NetworkDriver {
    private static final int DEFAULT_MTU = 1500;

    @Override
    public String name() {
        return "bridge";
    }

    /** The default bridge network, on a bridge named like Docker's docker0: {@code ctrnet0} for the default root. */
    @Override
    public List<NetworkSpec> builtInNetworks(String scope) {
        return List.of(new NetworkSpec("bridge", name(), Optional.empty(), Optional.empty(), false,
                Map.of(BridgeOptions.BRIDGE, "ctrnet" + scope + "0")));
    }

    @Override
    public Network validate(Network requested) {
        String defaultBridge = "ctrnet-" + requested.id().substring(0, 8);
        BridgeOptions options = BridgeOptions.parse(requested.options(), defaultBridge);
        return requested.withOptions(options.asMap());
    }

    @Override
    public void create(Network network, Kernel kernel) {
        BridgeOptions options = options(network);
        Netlink host = kernel.hostNetlink();
        Optional<Link> existing = host.findLink(options.bridge());
        Optional<MacAddress> mac = gatewayMac(network);
        if (existing.isEmpty()) {
            LinkRequest bridge = LinkRequest.of(options.bridge(), new LinkKind.Bridge());
            // a dual-stack bridge comes up below, once told not to delay its link-local address
            bridge = network.ipv6() ? bridge : bridge.withUp();
            bridge = mac.map(bridge::withMac).orElse(bridge);
            host.createLink(options.mtu().map(bridge::withMtu).orElse(bridge));
        } else if (!existing.get().kind().equals(Optional.of("bridge"))) {
            throw new IllegalArgumentException("a link named " + options.bridge()
                    + " exists and is not a bridge: choose another bridge=NAME option");
        }
        Cidr gatewayAddress = gatewayAddress(network);
        boolean hasAddress = host.listAddresses(options.bridge()).stream()
                .anyMatch(a -> a.address().equals(gatewayAddress));
        if (existing.isPresent() && !hasAddress) {
            // not made by this network (which gives its bridge the gateway address): someone else's,
            // which delete() would otherwise take down with the network
            throw new IllegalArgumentException("a bridge named " + options.bridge() + " already exists and is not"
                    + " this network's: remove it (ip link del " + options.bridge() + ") or choose another bridge=NAME");
        }
        if (network.ipv6()) {
            // The kernel solicits a neighbour for a forwarded packet from the bridge's link-local address, and sends
            // nothing while that address is tentative: the first packet a published port forwards to a container
            // would wait a second for duplicate address detection. Set before the bridge is up and makes that
            // address; its MAC is derived from the gateway, which no other host has, so it is no duplicate.
            kernel.sysctl().write(NetworkNamespace.host(), SysctlKey.ofInterface("ipv6", options.bridge(), "accept_dad"),
                    "0");
        }
        if (!hasAddress) {
            host.addAddress(options.bridge(), gatewayAddress);
            // the IPv6 gateway goes with the IPv4 one: a bridge that has the one was given the other with it
            gatewayAddress6(network).ifPresent(address -> host.addAddress(options.bridge(), address));
        }
        if (mac.isPresent() && !host.getLink(options.bridge()).mac().equals(mac)) {
            host.setMac(options.bridge(), mac.get()); // a bridge made before its MAC was fixed
        }
        if (!host.getLink(options.bridge()).up()) {
            host.setUp(options.bridge(), true);
        }
        NetworkNamespace hostNs = NetworkNamespace.host();
        kernel.sysctl().write(hostNs, "net.ipv4.ip_forward", "1");
        if (network.ipv6()) {
            kernel.sysctl().write(hostNs, "net.ipv6.conf.all.forwarding", "1");
        }
        // lets DNAT send 127.0.0.1-sourced traffic (ports published on localhost) out of the bridge
        kernel.sysctl().write(hostNs, SysctlKey.ofInterface("ipv4", options.bridge(), "route_localnet"), "1");
    }

    @Override
    public void delete(Network network, Kernel kernel) {
        try {
            kernel.hostNetlink().deleteLink(options(network).bridge());
        } catch (KernelException e) {
            if (e.errno() != KernelException.ENODEV) {
                throw e;
            }
        }
    }

    @Override
    public Attachment attach(Network network, Endpoint endpoint, Kernel kernel) {
        BridgeOptions options = options(network);
        Netlink host = kernel.hostNetlink();
        Cidr address = endpoint.address().orElseThrow(() -> new IllegalArgumentException("the bridge driver needs an address"));
        MacAddress mac = MacAddress.derivedFrom(address.address());
        String hostEnd = hostInterfaceName(endpoint);
        Optional<Cidr> address6 = endpoint.address6();
        Attachment made = new Attachment(Optional.of(endpoint.interfaceName()), Optional.of(address), endpoint.gateway(),
                Optional.of(mac), endpoint.defaultRoute(), Map.of("hostInterface", hostEnd), address6,
                address6.flatMap(a -> network.gateway6()));
        Netlink inside = kernel.namespaces().netlink(endpoint.sandbox());
        int mtu = options.mtu().orElseGet(() -> hostMtu(kernel));
        LinkKind.Veth cable = new LinkKind.Veth(endpoint.interfaceName(), endpoint.sandbox(), Optional.of(mac),
                Optional.of(mtu));
        LinkRequest request = LinkRequest.of(hostEnd, cable).withMtu(mtu).withMaster(options.bridge()).withUp();
        // made first and looked at only when refused: the usual attach asks the kernel nothing beforehand
        try {
            host.createLink(request);
        } catch (KernelException e) {
            if (e.errno() == KernelException.ENODEV && host.findLink(options.bridge()).isEmpty()) {
                create(network, kernel); // e.g. after a reboot: the state says the network exists
                host.createLink(request);
            } else if (e.errno() == KernelException.EEXIST && host.findLink(hostEnd).isPresent()
                    && inside.findLink(endpoint.interfaceName()).flatMap(Link::mac).equals(Optional.of(mac))) {
                // this cable is in place (network reload), but a bridge made again has lost its ports: put it back
                host.setMaster(hostEnd, options.bridge());
                setPortFlags(host, hostEnd, options);
                host.setUp(hostEnd, true);
                return made;
            } else {
                throw e;
            }
        }
        setPortFlags(host, hostEnd, options);
        if (address6.isEmpty()) {
            // the network is IPv4: without link-local addresses, neither end floods the bridge's other ports with
            // neighbour discovery and listener reports once the cable has a carrier (set while the inside is down)
            host.setIpv6LinkLocal(hostEnd, false);
            inside.setIpv6LinkLocal(endpoint.interfaceName(), false);
        }
        inside.addAddress(endpoint.interfaceName(), address);
        // usable at once (nodad): the container's first packet need not wait for duplicate address detection
        address6.ifPresent(a -> inside.addAddress(endpoint.interfaceName(), a));
        inside.setUp(endpoint.interfaceName(), true);
        if (endpoint.defaultRoute()) {
            inside.addRoute(Route.defaultVia(endpoint.gateway().orElseThrow()));
            made.gateway6().ifPresent(gateway6 -> inside.addRoute(Route.defaultVia(gateway6)));
        }
        return made;
    }

    /** The flags of a cable's bridge port, which it loses when it leaves the bridge. */
    private static void setPortFlags(Netlink host, String hostEnd, BridgeOptions options) {
        // a container reaching its own published port gets its packet back through its own port
        host.setBridgePortHairpin(hostEnd, true);
        if (!options.interContainer()) {
            host.setBridgePortIsolated(hostEnd, true);
        }
    }

    @Override
    public void detach(Network network, Endpoint endpoint, Attachment attachment, Kernel kernel, boolean sandboxGoing) {
        if (sandboxGoing) {
            return; // deleting the namespace destroys the veth pair, and quickly
        }
        try {
            kernel.namespaces().netlink(endpoint.sandbox()).deleteLink(endpoint.interfaceName());
        } catch (KernelException e) {
            if (e.errno() != KernelException.ENODEV) {
                throw e;
            }
        }
    }

    @Override
    public Optional<FirewallZone> firewallZone(Network network) {
        BridgeOptions options = options(network);
        return Optional.of(new FirewallZone(network.name(), options.bridge(), network.subnet().orElseThrow(),
                network.gateway().orElseThrow(), options.masquerade(), network.internal(), network.subnet6(),
                network.gateway6()));
    }

    /** The host end of a container's cable: unique per container and interface, at most 15 characters. */
    static String hostInterfaceName(Endpoint endpoint) {
        String iface = endpoint.interfaceName();
        String suffix = iface.startsWith("eth") ? iface.substring(3) : Integer.toString(Math.abs(iface.hashCode() % 100));
        return "ve-" + endpoint.containerId().substring(0, 8) + "-" + suffix;
    }

    private static BridgeOptions options(Network network) {
        return BridgeOptions.parse(network.options(), network.option(BridgeOptions.BRIDGE).orElseThrow());
    }

    /**
     * The bridge's MAC, derived from the gateway as the containers' are from their addresses, so unique on
     * the network. Set, not left to the kernel: a bridge without one takes the lowest MAC of its ports, so
     * it would change whenever a container with a lower MAC comes or goes, and every other container would
     * send to the gateway's old MAC until its neighbour entry expires, half a minute without the gateway,
     * the network's name server and the world.
     */
    private static Optional<MacAddress> gatewayMac(Network network) {
        return network.gateway().filter(g -> g instanceof Inet4Address).map(MacAddress::derivedFrom);
    }

    private static Cidr gatewayAddress(Network network) {
        return new Cidr(network.gateway().orElseThrow(), network.subnet().orElseThrow().prefixLength());
    }

    private static Optional<Cidr> gatewayAddress6(Network network) {
        return network.gateway6().map(g -> new Cidr(g, network.subnet6().orElseThrow().prefixLength()));
    }

    /**
     * The MTU of the host's default-route interface, so containers do not send what the uplink drops. Looked up,
     * not listed: three requests (the route, its link's name, the link), whatever the host holds.
     */
    private static int hostMtu(Kernel kernel) {
        return HostFacts.of(kernel).uplink().map(Link::mtu).orElse(DEFAULT_MTU);
    }
}
