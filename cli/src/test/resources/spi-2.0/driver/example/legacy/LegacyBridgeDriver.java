package example.legacy;

import dev.ctrnet.api.Attachment;
import dev.ctrnet.api.Endpoint;
import dev.ctrnet.api.Network;
import dev.ctrnet.api.NetworkDriver;
import dev.ctrnet.api.firewall.FirewallZone;
import dev.ctrnet.api.kernel.Kernel;
import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.api.kernel.LinkKind;
import dev.ctrnet.api.kernel.LinkRequest;
import dev.ctrnet.api.kernel.Netlink;
import dev.ctrnet.api.kernel.Route;
import dev.ctrnet.api.net.Cidr;
import java.util.Map;
import java.util.Optional;

/**
 * A bridge driver as a third party wrote it against SPI 2.0, and compiled against exactly that API: it calls
 * only what 2.0 had (the six-part Attachment and FirewallZone, the three-part Route, the kernel primitives of
 * 2.0) and implements only what 2.0 asked. Its bridge is {@code lg} and the network id's first eight characters
 * unless {@code --opt bridge=NAME}; each container's cable is a veth whose host end is {@code lv} and the
 * container id's first eight characters.
 */
public final class LegacyBridgeDriver implements NetworkDriver {
    private static final String BRIDGE = "bridge";
    private static final String HOST_END = "hostEnd";

    @Override
    public String name() {
        return "legacy";
    }

    @Override
    public Network validate(Network requested) {
        for (String key : requested.options().keySet()) {
            if (!key.equals(BRIDGE)) {
                throw new IllegalArgumentException("the legacy driver has no option " + key + ": only bridge=NAME");
            }
        }
        String bridge = requested.option(BRIDGE).orElse("lg" + requested.id().substring(0, 8));
        LinkRequest.requireName(bridge);
        return requested.withOptions(Map.of(BRIDGE, bridge));
    }

    @Override
    public void create(Network network, Kernel kernel) {
        Netlink host = kernel.hostNetlink();
        String bridge = bridge(network);
        if (host.findLink(bridge).isEmpty()) {
            host.createLink(LinkRequest.of(bridge, new LinkKind.Bridge()).withUp());
        }
        Cidr gateway = gateway(network);
        int index = host.getLink(bridge).index();
        if (host.listAddresses().stream().noneMatch(a -> a.linkIndex() == index && a.address().equals(gateway))) {
            host.addAddress(bridge, gateway);
        }
    }

    @Override
    public void delete(Network network, Kernel kernel) {
        deleteIfThere(kernel.hostNetlink(), bridge(network));
    }

    @Override
    public Attachment attach(Network network, Endpoint endpoint, Kernel kernel) {
        String hostEnd = "lv" + endpoint.containerId().substring(0, 8);
        Netlink host = kernel.hostNetlink();
        if (host.findLink(hostEnd).isEmpty()) {
            host.createLink(LinkRequest.of(hostEnd, new LinkKind.Veth(endpoint.interfaceName(), endpoint.sandbox(),
                    Optional.empty(), Optional.empty())).withMaster(bridge(network)).withUp());
        }
        Netlink inside = kernel.namespaces().netlink(endpoint.sandbox());
        inside.setUp(endpoint.interfaceName(), true);
        Cidr address = endpoint.address().orElseThrow(() -> new IllegalArgumentException("the legacy driver needs an address"));
        inside.addAddress(endpoint.interfaceName(), address);
        if (endpoint.defaultRoute()) {
            inside.addRoute(Route.defaultVia(endpoint.gateway().orElseThrow()));
        }
        return new Attachment(Optional.of(endpoint.interfaceName()), Optional.of(address), endpoint.gateway(),
                Optional.empty(), endpoint.defaultRoute(), Map.of(HOST_END, hostEnd));
    }

    @Override
    public void detach(Network network, Endpoint endpoint, Attachment attachment, Kernel kernel, boolean sandboxGoing) {
        if (!sandboxGoing) {
            // the veth goes with the sandbox when it goes; otherwise its host end takes the container end with it
            deleteIfThere(kernel.hostNetlink(), attachment.driverData().get(HOST_END));
        }
    }

    @Override
    public Optional<FirewallZone> firewallZone(Network network) {
        return Optional.of(new FirewallZone(network.name(), bridge(network), network.subnet().orElseThrow(),
                network.gateway().orElseThrow(), true, network.internal()));
    }

    private static String bridge(Network network) {
        return network.option(BRIDGE).orElseThrow();
    }

    private static Cidr gateway(Network network) {
        return new Cidr(network.gateway().orElseThrow(), network.subnet().orElseThrow().prefixLength());
    }

    private static void deleteIfThere(Netlink netlink, String link) {
        try {
            netlink.deleteLink(link);
        } catch (KernelException e) {
            if (e.errno() != KernelException.ENODEV) {
                throw e;
            }
        }
    }
}
