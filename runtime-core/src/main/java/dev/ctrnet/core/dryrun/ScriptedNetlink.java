package dev.ctrnet.core.dryrun;

import dev.ctrnet.api.kernel.InterfaceAddress;
import dev.ctrnet.api.kernel.Link;
import dev.ctrnet.api.kernel.LinkKind;
import dev.ctrnet.api.kernel.LinkRequest;
import dev.ctrnet.api.kernel.Netlink;
import dev.ctrnet.api.kernel.NetworkNamespace;
import dev.ctrnet.api.kernel.Route;
import dev.ctrnet.api.kernel.RouteScope;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.api.net.MacAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link Netlink} of one namespace in a dry run: each change becomes the {@code ip} command that makes it
 * (run through {@code nsenter --net=PATH} outside the host's namespace), with why, and is applied to the
 * {@link PlannedNamespace} that later reads see. Refusals are the kernel's: a name taken, a link missing.
 */
final class ScriptedNetlink implements Netlink {
    /** The MTU the kernel gives a link when none is asked for. */
    private static final int DEFAULT_MTU = 1500;

    private final ScriptedKernel kernel;
    private final PlannedNamespace planned;

    ScriptedNetlink(ScriptedKernel kernel, PlannedNamespace planned) {
        this.kernel = kernel;
        this.planned = planned;
    }

    @Override
    public NetworkNamespace namespace() {
        return planned.namespace();
    }

    @Override
    public List<Link> listLinks() {
        return planned.links();
    }

    @Override
    public Optional<Link> findLink(String name) {
        LinkRequest.requireName(name);
        return planned.find(name);
    }

    @Override
    public void createLink(LinkRequest request) {
        NetworkNamespace bornIn = request.namespace().orElse(namespace());
        PlannedNamespace home = kernel.planned(bornIn);
        home.requireFree(request.name());
        Optional<Integer> master = request.master().map(name -> home.get(name).index());
        List<String> words = new ArrayList<>(List.of("ip", "link", "add"));
        if (request.kind() instanceof LinkKind.Macvlan macvlan) {
            planned.get(macvlan.parent());
            words.addAll(List.of("link", macvlan.parent()));
        }
        words.add(request.name());
        request.mtu().ifPresent(mtu -> words.addAll(List.of("mtu", Integer.toString(mtu))));
        request.mac().ifPresent(mac -> words.addAll(List.of("address", mac.toString())));
        request.master().ifPresent(name -> words.addAll(List.of("master", name)));
        request.namespace().filter(ns -> !same(ns)).ifPresent(ns -> words.addAll(List.of("netns", ns.path().toString())));
        if (request.up()) {
            words.add("up");
        }
        words.addAll(List.of("type", request.kind().kernelName()));
        Optional<PlannedNamespace.Peer> peer = Optional.empty();
        if (request.kind() instanceof LinkKind.Veth veth) {
            PlannedNamespace peerHome = kernel.planned(veth.peerNamespace());
            peerHome.requireFree(veth.peerName());
            words.addAll(List.of("peer", "name", veth.peerName()));
            veth.peerMtu().ifPresent(mtu -> words.addAll(List.of("mtu", Integer.toString(mtu))));
            veth.peerMac().ifPresent(mac -> words.addAll(List.of("address", mac.toString())));
            if (!same(veth.peerNamespace())) {
                // as the runtime's request: a peer without a namespace of its own is born where the request is sent
                words.addAll(List.of("netns", veth.peerNamespace().path().toString()));
            }
            peerHome.add(veth.peerName(), Optional.of("veth"), veth.peerMtu().orElse(DEFAULT_MTU), veth.peerMac(),
                    Optional.empty(), false);
            peer = Optional.of(new PlannedNamespace.Peer(veth.peerNamespace(), veth.peerName()));
            peerHome.pair(veth.peerName(), new PlannedNamespace.Peer(bornIn, request.name()));
        } else if (request.kind() instanceof LinkKind.Macvlan macvlan) {
            words.addAll(List.of("mode", macvlan.mode().name().toLowerCase(java.util.Locale.ROOT)));
        }
        home.add(request.name(), Optional.of(request.kind().kernelName()), request.mtu().orElse(DEFAULT_MTU),
                request.mac(), master, request.up());
        peer.ifPresent(p -> home.pair(request.name(), p));
        kernel.script().add(whyCreate(request, bornIn), kernel.in(namespace(), words));
    }

    private String whyCreate(LinkRequest request, NetworkNamespace bornIn) {
        String on = request.master().map(m -> ", plugged into bridge " + m).orElse("");
        if (request.kind() instanceof LinkKind.Veth veth) {
            String far = veth.peerNamespace().path().equals(bornIn.path()) ? " beside it"
                    : " born inside " + place(veth.peerNamespace());
            return "the cable: a veth pair, " + request.name() + on + ", and its other end " + veth.peerName() + far;
        }
        if (request.kind() instanceof LinkKind.Bridge) {
            return "the network's switch: a Linux bridge, " + request.name();
        }
        if (request.kind() instanceof LinkKind.Macvlan macvlan) {
            return "a macvlan link on " + macvlan.parent() + ": an address of its own on " + macvlan.parent()
                    + "'s segment" + on;
        }
        return "a " + request.kind().kernelName() + " link, " + request.name() + on;
    }

    @Override
    public void deleteLink(String name) {
        LinkRequest.requireName(name);
        planned.remove(name).ifPresent(peer -> kernel.planned(peer.namespace()).remove(peer.name()));
        kernel.script().add("remove link " + name + (namespace().isHost() ? "" : " from " + place(namespace()))
                + " (a veth takes its other end with it)", kernel.in(namespace(), "ip", "link", "del", name));
    }

    @Override
    public void setUp(String name, boolean up) {
        planned.change(name, l -> new Link(l.index(), l.name(), l.kind(), l.mtu(), l.mac(), l.masterIndex(), up));
        String why = name.equals("lo") ? "bring " + (up ? "up" : "down") + " the loopback of " + place(namespace())
                : "bring " + name + (up ? " up" : " down");
        set(why, name, up ? "up" : "down");
    }

    @Override
    public void setMaster(String name, String master) {
        int index = planned.get(master).index();
        planned.change(name, l -> new Link(l.index(), l.name(), l.kind(), l.mtu(), l.mac(), Optional.of(index), l.up()));
        set("plug " + name + " into bridge " + master, name, "master", master);
    }

    @Override
    public void setMtu(String name, int mtu) {
        LinkRequest.requireMtu(mtu);
        planned.change(name, l -> new Link(l.index(), l.name(), l.kind(), mtu, l.mac(), l.masterIndex(), l.up()));
        set("the MTU of " + name, name, "mtu", Integer.toString(mtu));
    }

    @Override
    public void setMac(String name, MacAddress mac) {
        planned.change(name, l -> new Link(l.index(), l.name(), l.kind(), l.mtu(), Optional.of(mac), l.masterIndex(), l.up()));
        set("the MAC of " + name, name, "address", mac.toString());
    }

    @Override
    public void rename(String name, String newName) {
        LinkRequest.requireName(newName);
        planned.requireFree(newName);
        planned.change(name, l -> new Link(l.index(), newName, l.kind(), l.mtu(), l.mac(), l.masterIndex(), l.up()));
        set("rename " + name + " to " + newName, name, "name", newName);
    }

    @Override
    public void moveToNamespace(String name, NetworkNamespace target) {
        Link link = planned.get(name);
        PlannedNamespace there = kernel.planned(target);
        there.requireFree(name);
        planned.remove(name);
        there.add(name, link.kind(), link.mtu(), link.mac(), Optional.empty(), false);
        set("move " + name + " into " + place(target), name, "netns", target.path().toString());
    }

    @Override
    public void setBridgePortIsolated(String name, boolean isolated) {
        planned.get(name);
        set(isolated ? "isolate the bridge port: containers on this network cannot reach one another (icc=false)"
                : "let the bridge port reach the others", name, "type", "bridge_slave", "isolated", onOff(isolated));
    }

    @Override
    public void setBridgePortHairpin(String name, boolean hairpin) {
        planned.get(name);
        set(hairpin ? "hairpin: a container that reaches its own published port gets its packets back through its own port"
                : "no hairpin on " + name, name, "type", "bridge_slave", "hairpin", onOff(hairpin));
    }

    @Override
    public void setIpv6LinkLocal(String name, boolean generate) {
        planned.get(name);
        set(generate ? "give " + name + " an IPv6 link-local address"
                : "no IPv6 link-local address on " + name + ": the network is IPv4, and its neighbour discovery would"
                        + " be flooded to every port of the bridge", name, "addrgenmode", generate ? "eui64" : "none");
    }

    @Override
    public void addAddress(String link, Cidr address) {
        planned.addAddress(link, address);
        boolean bridge = planned.get(link).kind().equals(Optional.of("bridge"));
        String why = bridge ? "the gateway's address, on the bridge: the host's side of the network"
                : "the address of " + link + (namespace().isHost() ? "" : " in " + place(namespace()));
        List<String> words = new ArrayList<>(List.of("ip", "address", "add", address.toString()));
        if (address.isIpv4() && address.prefixLength() < 31) {
            words.addAll(List.of("brd", "+")); // the subnet's broadcast address, as the runtime sets it
        }
        words.addAll(List.of("dev", link));
        if (!address.isIpv4()) {
            words.add("nodad"); // as the runtime adds it: leased, so never a duplicate, and usable at once
        }
        kernel.script().add(why, kernel.in(namespace(), words));
    }

    @Override
    public void deleteAddress(String link, Cidr address) {
        planned.removeAddress(link, address);
        kernel.script().add("take " + address + " off " + link,
                kernel.in(namespace(), "ip", "address", "del", address.toString(), "dev", link));
    }

    @Override
    public List<InterfaceAddress> listAddresses() {
        return planned.addresses();
    }

    @Override
    public List<InterfaceAddress> listAddresses(String link) {
        return planned.find(link).map(l -> planned.addresses().stream().filter(a -> a.linkIndex() == l.index()).toList())
                .orElse(List.of());
    }

    @Override
    public void addRoute(Route route) {
        planned.addRoute(route);
        kernel.script().add(whyRoute(route), kernel.in(namespace(), routeWords("add", route)));
    }

    @Override
    public void replaceRoute(Route route) {
        planned.replaceRoute(route);
        kernel.script().add(whyRoute(route) + ", in place of any of the same destination and metric",
                kernel.in(namespace(), routeWords("replace", route)));
    }

    private String whyRoute(Route route) {
        return route.isDefault() ? "the default route of " + place(namespace())
                + route.gateway().map(g -> ", via the gateway " + IpAddresses.format(g)).orElse("")
                : "a route to " + route.destination();
    }

    @Override
    public void deleteRoute(Route route) {
        planned.removeRoute(route);
        kernel.script().add("take away the route to " + (route.isDefault() ? "anywhere" : route.destination().toString()),
                kernel.in(namespace(), routeWords("del", route)));
    }

    /** The IPv4 routes of the main table, as the kernel's listing. */
    @Override
    public List<Route> listRoutes() {
        return planned.routes().stream().filter(r -> r.table() == Route.MAIN_TABLE && r.destination().isIpv4()).toList();
    }

    @Override
    public List<Route> listRoutes(int table) {
        return planned.routes().stream().filter(r -> r.table() == table).toList();
    }

    /** {@code ip route add|replace|del}, with each field the route has beyond what {@code ip} assumes. */
    private static List<String> routeWords(String verb, Route route) {
        List<String> words = new ArrayList<>(route.destination().isIpv4() ? List.of("ip", "route", verb)
                : List.of("ip", "-6", "route", verb));
        words.add(route.isDefault() ? "default" : route.destination().toString());
        route.gateway().ifPresent(g -> words.addAll(List.of("via", IpAddresses.format(g))));
        route.device().ifPresent(d -> words.addAll(List.of("dev", d)));
        if (route.onlink()) {
            words.add("onlink");
        }
        if (route.metric() != 0) {
            words.addAll(List.of("metric", Integer.toString(route.metric())));
        }
        if (route.table() != Route.MAIN_TABLE) {
            words.addAll(List.of("table", Integer.toString(route.table())));
        }
        // ip's own choice: universe through a gateway, link without one; IPv6 routes have no scope
        RouteScope assumed = route.gateway().isPresent() ? RouteScope.UNIVERSE : RouteScope.LINK;
        if (route.destination().isIpv4() && route.scope() != assumed && !verb.equals("del")) {
            words.addAll(List.of("scope", route.scope() == RouteScope.UNIVERSE ? "global"
                    : route.scope().name().toLowerCase(java.util.Locale.ROOT)));
        }
        return words;
    }

    /** A step {@code ip link set NAME WORDS…} in this namespace. */
    private void set(String why, String name, String... words) {
        List<String> command = new ArrayList<>(List.of("ip", "link", "set", name));
        command.addAll(List.of(words));
        kernel.script().add(why, kernel.in(namespace(), command));
    }

    private boolean same(NetworkNamespace other) {
        return other.path().equals(namespace().path());
    }

    private static String onOff(boolean on) {
        return on ? "on" : "off";
    }

    /** How a namespace is named in a step's comment: a container's by its folder and short id, as the command names it in full. */
    static String place(NetworkNamespace namespace) {
        if (namespace.isHost()) {
            return "the host's namespace";
        }
        Path path = namespace.path();
        String name = path.getFileName().toString();
        if (name.matches("[0-9a-f]{64}") && path.getParent() != null) {
            return "namespace " + path.getParent().getFileName() + "/" + name.substring(0, 12);
        }
        return "namespace " + path;
    }
}
