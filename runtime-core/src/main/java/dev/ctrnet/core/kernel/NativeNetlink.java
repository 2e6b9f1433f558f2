package dev.ctrnet.core.kernel;

import static dev.ctrnet.api.kernel.KernelException.EADDRNOTAVAIL;
import static dev.ctrnet.api.kernel.KernelException.EEXIST;
import static dev.ctrnet.api.kernel.KernelException.ENETUNREACH;
import static dev.ctrnet.api.kernel.KernelException.ENODEV;
import static dev.ctrnet.api.kernel.KernelException.ENOENT;
import static dev.ctrnet.api.kernel.KernelException.EPERM;
import static dev.ctrnet.api.kernel.KernelException.ESRCH;

import dev.ctrnet.api.kernel.InterfaceAddress;
import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.api.kernel.Link;
import dev.ctrnet.api.kernel.LinkKind;
import dev.ctrnet.api.kernel.LinkRequest;
import dev.ctrnet.api.kernel.Netlink;
import dev.ctrnet.api.kernel.NetworkNamespace;
import dev.ctrnet.api.kernel.Route;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.api.net.MacAddress;
import java.net.InetAddress;
import dev.ctrnet.core.CrashPoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.function.Supplier;

/**
 * {@link Netlink} over an rtnetlink socket opened inside its namespace. Each method sends one
 * request (after looking up the indexes it names) and turns a refusal into a {@link KernelException}
 * whose sentence names the object.
 */
public final class NativeNetlink implements Netlink, BridgePorts, AutoCloseable {
    private static final int EBUSY = 16;
    private static final int EOPNOTSUPP = 95;
    private static final int EAFNOSUPPORT = 97;
    private static final int EACCES = 13;
    private static final int EHOSTUNREACH = 113;

    private final NetworkNamespace namespace;
    private final NetlinkSocket socket;
    private final Function<NetworkNamespace, NativeNetlink> otherNamespaces;

    /**
     * @param namespace the namespace the socket was opened in
     * @param socket the socket
     * @param otherNamespaces the netlink of another namespace, to look up a master bridge where a link is born
     */
    NativeNetlink(NetworkNamespace namespace, NetlinkSocket socket, Function<NetworkNamespace, NativeNetlink> otherNamespaces) {
        this.namespace = namespace;
        this.socket = socket;
        this.otherNamespaces = otherNamespaces;
    }

    @Override
    public NetworkNamespace namespace() {
        return namespace;
    }

    @Override
    public List<Link> listLinks() {
        return call(() -> socket.dump(LinkMessages.dump()), "list the links", Map.of()).stream()
                .filter(m -> m.type() == LinkMessages.RTM_NEWLINK)
                .map(LinkMessages::decode)
                .sorted(Comparator.comparingInt(Link::index))
                .toList();
    }

    @Override
    public Optional<Link> findLink(String name) {
        LinkRequest.requireName(name);
        try {
            return socket.execute(LinkMessages.get(name)).stream()
                    .filter(m -> m.type() == LinkMessages.RTM_NEWLINK)
                    .map(LinkMessages::decode)
                    .findFirst();
        } catch (NetlinkError e) {
            if (e.errno() == ENODEV) {
                return Optional.empty();
            }
            throw refused(e, "look up link " + name, Map.of());
        }
    }

    @Override
    public void createLink(LinkRequest request) {
        NetworkNamespace bornIn = request.namespace().orElse(namespace);
        Optional<Integer> master = request.master().map(name -> in(bornIn).indexOf(name));
        Optional<Integer> parent = request.kind() instanceof LinkKind.Macvlan macvlan
                ? Optional.of(indexOf(macvlan.parent()))
                : Optional.empty();
        Optional<NetworkNamespace> peerNamespace = request.kind() instanceof LinkKind.Veth veth
                ? Optional.of(veth.peerNamespace()).filter(ns -> !NativeNamespaces.same(ns, namespace))
                : Optional.empty();
        try (NamespaceFiles files = new NamespaceFiles()) {
            LinkMessages.References refs = new LinkMessages.References(master, parent,
                    request.namespace().filter(ns -> !NativeNamespaces.same(ns, namespace)).map(files::open),
                    peerNamespace.map(files::open));
            change(() -> socket.execute(LinkMessages.create(request, refs)), "create link " + request.name(),
                    Map.of(EEXIST, alreadyExists(request, bornIn),
                            EOPNOTSUPP, "cannot create link " + request.name() + ": this kernel has no "
                                    + request.kind().kernelName() + " links (is the module loaded?)"));
        }
    }

    /** Which name is taken: the link's, or (for a veth) its peer's. */
    private String alreadyExists(LinkRequest request, NetworkNamespace bornIn) {
        String link = "a link named " + request.name() + " already exists in " + Netlink.describe(bornIn);
        if (request.kind() instanceof LinkKind.Veth veth) {
            return link + ", or its peer's name " + veth.peerName() + " is taken in "
                    + Netlink.describe(veth.peerNamespace());
        }
        return link;
    }

    @Override
    public void deleteLink(String name) {
        LinkRequest.requireName(name);
        change(() -> socket.execute(LinkMessages.delete(name)), "delete link " + name, noSuchLink(name));
    }

    @Override
    public void setUp(String name, boolean up) {
        LinkRequest.requireName(name);
        change(() -> socket.execute(LinkMessages.setUp(name, up)), "bring link " + name + (up ? " up" : " down"),
                noSuchLink(name));
    }

    @Override
    public void setMaster(String name, String master) {
        int index = indexOf(name);
        int masterIndex = indexOf(master);
        change(() -> socket.execute(LinkMessages.setMaster(index, masterIndex)),
                "attach link " + name + " to " + master, Map.of());
    }

    @Override
    public void leaveMaster(String name) {
        int index = indexOf(name);
        change(() -> socket.execute(LinkMessages.setMaster(index, 0)), "take link " + name + " off its master",
                Map.of());
    }

    @Override
    public Optional<Boolean> portFlag(String name, Flag flag) {
        LinkRequest.requireName(name);
        int attribute = flag == Flag.HAIRPIN ? LinkMessages.IFLA_BRPORT_MODE : LinkMessages.IFLA_BRPORT_ISOLATED;
        try {
            return socket.execute(LinkMessages.get(name)).stream()
                    .filter(m -> m.type() == LinkMessages.RTM_NEWLINK)
                    .findFirst()
                    .flatMap(m -> LinkMessages.portFlag(m, attribute));
        } catch (NetlinkError e) {
            if (e.errno() == ENODEV) {
                return Optional.empty();
            }
            throw refused(e, "look up link " + name, Map.of());
        }
    }

    @Override
    public void setMtu(String name, int mtu) {
        LinkRequest.requireName(name);
        change(() -> socket.execute(LinkMessages.setMtu(name, mtu)), "set the MTU of link " + name + " to " + mtu,
                noSuchLink(name));
    }

    @Override
    public void setMac(String name, MacAddress mac) {
        LinkRequest.requireName(name);
        change(() -> socket.execute(LinkMessages.setMac(name, mac)), "set the MAC of link " + name + " to " + mac,
                noSuchLink(name));
    }

    @Override
    public void rename(String name, String newName) {
        LinkRequest.requireName(newName);
        int index = indexOf(name);
        change(() -> socket.execute(LinkMessages.rename(index, newName)), "rename link " + name + " to " + newName,
                Map.of(EEXIST, "a link named " + newName + " already exists in " + where(),
                        EBUSY, "cannot rename link " + name + " while it is up"));
    }

    @Override
    public void moveToNamespace(String name, NetworkNamespace target) {
        int index = indexOf(name);
        try (NamespaceFile file = NamespaceFile.open(target.path())) {
            change(() -> socket.execute(LinkMessages.moveToNamespace(index, file.fd())),
                    "move link " + name + " to " + Netlink.describe(target),
                    Map.of(EEXIST, "a link named " + name + " already exists in " + Netlink.describe(target)));
        }
    }

    @Override
    public void setBridgePortIsolated(String name, boolean isolated) {
        LinkRequest.requireName(name);
        change(() -> socket.execute(LinkMessages.setBridgePortIsolated(name, isolated)),
                (isolated ? "isolate" : "un-isolate") + " bridge port " + name, bridgePortOnly(name, "isolated"));
    }

    @Override
    public void setBridgePortHairpin(String name, boolean hairpin) {
        LinkRequest.requireName(name);
        change(() -> socket.execute(LinkMessages.setBridgePortHairpin(name, hairpin)),
                "turn hairpin mode " + (hairpin ? "on" : "off") + " for bridge port " + name,
                bridgePortOnly(name, "set to hairpin mode"));
    }

    @Override
    public void setIpv6LinkLocal(String name, boolean generate) {
        LinkRequest.requireName(name);
        try {
            socket.execute(LinkMessages.setIpv6LinkLocal(name, generate));
            CrashPoint.changed();
        } catch (NetlinkError e) {
            if (e.errno() == EAFNOSUPPORT && !generate) {
                return; // a kernel or link without IPv6 makes no link-local address either
            }
            throw refused(e, (generate ? "give" : "take") + " link " + name + " an IPv6 link-local address",
                    noSuchLink(name));
        }
    }

    /** The sentences for a request that names a link that must be a bridge port for {@code what} to make sense. */
    private Map<Integer, String> bridgePortOnly(String name, String what) {
        return Map.of(ENODEV, noSuchLink(name).get(ENODEV),
                EOPNOTSUPP, "link " + name + " in " + where() + " is not a bridge port, so it cannot be " + what);
    }

    /** The sentence for a request that names a link by its name when there is none of that name. */
    private Map<Integer, String> noSuchLink(String name) {
        return Map.of(ENODEV, "no link named " + name + " in " + where());
    }

    @Override
    public void addAddress(String link, Cidr address) {
        int index = indexOf(link);
        change(() -> socket.execute(AddressMessages.add(index, address)), "add address " + address + " to link " + link,
                Map.of(EEXIST, "address " + address + " already exists on link " + link + " in " + where()));
    }

    @Override
    public void deleteAddress(String link, Cidr address) {
        int index = indexOf(link);
        change(() -> socket.execute(AddressMessages.delete(index, address)),
                "delete address " + address + " from link " + link,
                Map.of(EADDRNOTAVAIL, "link " + link + " in " + where() + " has no address " + address));
    }

    @Override
    public List<InterfaceAddress> listAddresses() {
        return addresses(0);
    }

    @Override
    public List<InterfaceAddress> listAddresses(String link) {
        return findLink(link).map(l -> addresses(l.index())).orElse(List.of());
    }

    /** The IPv4 addresses of the link with that index, or of every link for 0. */
    private List<InterfaceAddress> addresses(int index) {
        return call(() -> socket.dump(AddressMessages.dumpIpv4(index)), "list the addresses", Map.of()).stream()
                .filter(m -> m.type() == AddressMessages.RTM_NEWADDR)
                .map(AddressMessages::decode)
                .filter(a -> a.address().isIpv4() && (index == 0 || a.linkIndex() == index))
                .toList();
    }

    @Override
    public void addRoute(Route route) {
        Optional<Integer> device = route.device().map(this::indexOf);
        change(() -> socket.execute(RouteMessages.add(route, device)), "add the route " + describe(route),
                Map.of(EEXIST, "the route " + describe(route) + " already exists in " + where(),
                        ENETUNREACH, unreachable(route)));
    }

    @Override
    public void replaceRoute(Route route) {
        Optional<Integer> device = route.device().map(this::indexOf);
        change(() -> socket.execute(RouteMessages.replace(route, device)), "replace the route " + describe(route),
                Map.of(ENETUNREACH, unreachable(route)));
    }

    /** The sentence for a route whose gateway no link reaches. */
    private static String unreachable(Route route) {
        return "gateway " + route.gateway().map(IpAddresses::format).orElse("") + " is unreachable: no link has an"
                + " address in its subnet" + (route.device().isPresent() ? " (or add the route onlink)" : "");
    }

    @Override
    public void deleteRoute(Route route) {
        Optional<Integer> device = route.device().map(this::indexOf);
        change(() -> socket.execute(RouteMessages.delete(route, device)), "delete the route " + describe(route),
                Map.of(ESRCH, "there is no route " + describe(route) + " in " + where()));
    }

    @Override
    public List<Route> listRoutes() {
        return routes(AddressMessages.AF_INET, Route.MAIN_TABLE);
    }

    @Override
    public List<Route> listRoutes(int table) {
        return Stream.concat(routes(AddressMessages.AF_INET, table).stream(),
                routes(AddressMessages.AF_INET6, table).stream()).toList();
    }

    /** The unicast routes of {@code family} in {@code table}; none when the table does not exist. */
    private List<Route> routes(int family, int table) {
        List<NetlinkMessage> replies;
        try {
            replies = socket.dump(RouteMessages.dump(family, table));
        } catch (NetlinkError e) {
            if (e.errno() == ENOENT) {
                return List.of(); // "FIB table does not exist": the kernel makes an IPv4 table with its first route
            }
            throw refused(e, "list the routes of table " + table, Map.of());
        }
        // names are looked up per output link, not by dumping every link: a host with a thousand
        // container veths has a handful of routes
        Map<Integer, String> names = new HashMap<>();
        return replies.stream()
                .filter(m -> m.type() == RouteMessages.RTM_NEWROUTE)
                .map(RouteMessages::decode)
                .filter(r -> r.table() == table && r.representable())
                .map(r -> r.toRoute(i -> names.computeIfAbsent(i, this::nameOf)))
                .toList();
    }

    @Override
    public Optional<Route> findRoute(InetAddress destination) {
        List<NetlinkMessage> replies;
        try {
            replies = socket.execute(RouteMessages.fibMatch(destination));
        } catch (NetlinkError e) {
            // no route, or one that drops what it matches: an unreachable, prohibit or blackhole route (EINVAL
            // without a word, where a request the kernel cannot take gets a sentence)
            if (e.errno() == ENETUNREACH || e.errno() == EHOSTUNREACH || e.errno() == EACCES
                    || e.errno() == KernelException.EINVAL && e.kernelMessage().isEmpty()) {
                return Optional.empty();
            }
            throw refused(e, "look up the route to " + IpAddresses.format(destination), Map.of());
        }
        return replies.stream()
                .filter(m -> m.type() == RouteMessages.RTM_NEWROUTE)
                .map(RouteMessages::decode)
                .filter(RouteMessages.RouteEntry::representable)
                .map(r -> r.toRoute(this::nameOf))
                .findFirst();
    }

    /** The index of the link with that name (no request: an {@code ioctl} on the socket). */
    private int indexOf(String name) {
        LinkRequest.requireName(name);
        try {
            return socket.linkIndex(name);
        } catch (KernelException e) {
            throw noLink(e, "no link named " + name);
        }
    }

    /** The name of the link with that index. */
    private String nameOf(int index) {
        try {
            return socket.linkName(index);
        } catch (KernelException e) {
            throw noLink(e, "no link with index " + index);
        }
    }

    /** A look-up's failure: with {@code sentence} and this namespace when there is no such link. */
    private KernelException noLink(KernelException e, String sentence) {
        return e.errno() == ENODEV ? new KernelException(ENODEV, sentence + " in " + where(), e) : e;
    }

    /** Closes the socket; the namespace it was bound to can then go away. */
    @Override
    public void close() {
        socket.close();
    }

    private NativeNetlink in(NetworkNamespace other) {
        return NativeNamespaces.same(other, namespace) ? this : otherNamespaces.apply(other);
    }

    private String where() {
        return Netlink.describe(namespace);
    }

    private static String describe(Route route) {
        return (route.isDefault() ? "default" : "to " + route.destination())
                + route.gateway().map(g -> " via " + IpAddresses.format(g)).orElse("")
                + route.device().map(d -> " dev " + d).orElse("")
                + (route.metric() == 0 ? "" : " metric " + route.metric())
                + (route.table() == Route.MAIN_TABLE ? "" : " table " + route.table());
    }

    /** {@link #call} of a request that changes something: a point where a test may halt ctrnet ({@link CrashPoint}). */
    private void change(Supplier<?> request, String action, Map<Integer, String> sentences) {
        call(request, action, sentences);
        CrashPoint.changed();
    }

    /** Runs one request; a refusal becomes the sentence for its errno, or "cannot {@code action}: reason". */
    private <T> T call(Supplier<T> request, String action, Map<Integer, String> sentences) {
        try {
            return request.get();
        } catch (NetlinkError e) {
            throw refused(e, action, sentences);
        }
    }

    private KernelException refused(NetlinkError e, String action, Map<Integer, String> sentences) {
        String sentence = e.errno() == EPERM ? Syscalls.PERMISSION_DENIED
                : sentences.getOrDefault(e.errno(), "cannot " + action + " in " + where() + ": "
                        + Syscalls.reason(e.errno()));
        return new KernelException(e.errno(),
                sentence + e.kernelMessage().map(m -> " (kernel: " + m + ")").orElse(""), e);
    }

    /** The namespace files a request refers to by descriptor, open until it has been answered. */
    private static final class NamespaceFiles implements AutoCloseable {
        private final List<NamespaceFile> open = new ArrayList<>();

        int open(NetworkNamespace ns) {
            NamespaceFile file = NamespaceFile.open(ns.path());
            open.add(file);
            return file.fd();
        }

        @Override
        public void close() {
            open.forEach(NamespaceFile::close);
        }
    }
}
