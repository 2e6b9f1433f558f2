package dev.ctrnet.core.kernel;

import static dev.ctrnet.core.kernel.Tools.addresses;
import static dev.ctrnet.core.kernel.Tools.child;
import static dev.ctrnet.core.kernel.Tools.ipJson;
import static dev.ctrnet.core.kernel.Tools.link;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import dev.ctrnet.api.testing.Eventually;
import dev.ctrnet.api.testing.Privileged;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Privileged: runs inside the test sandbox's throwaway namespaces, changes the kernel through the Java
 * API only and checks the result with {@code ip}, {@code nsenter} and {@code ping}.
 */
@Privileged
class NativeNetlinkTest {
    private static final Path DIR = Path.of("/run/ctrnet-test/netns");

    private NativeNamespaces namespaces;
    private Netlink host;

    @BeforeEach
    void open() throws Exception {
        Files.createDirectories(DIR);
        namespaces = new NativeNamespaces();
        host = namespaces.netlink(NetworkNamespace.host());
    }

    @AfterEach
    void close() {
        namespaces.close();
    }

    @Test
    void bridgeVethIntoNamespaceAddressesRoutePingAndTeardown() throws Exception {
        Path file = DIR.resolve("c1");
        NetworkNamespace ns = namespaces.create(file);
        Optional<Path> inside = Optional.of(file);

        host.createLink(LinkRequest.of("tbr0", new LinkKind.Bridge()).withMtu(1450).withUp());
        host.addAddress("tbr0", Cidr.parse("10.77.0.1/24"));
        host.createLink(LinkRequest.of("tveth0", new LinkKind.Veth("eth0", ns, Optional.empty(), Optional.of(1450)))
                .withMaster("tbr0").withMtu(1450).withUp());
        Netlink container = namespaces.netlink(ns);
        container.addAddress("eth0", Cidr.parse("10.77.0.2/24"));
        container.setUp("lo", true);
        container.setUp("eth0", true);
        container.addRoute(Route.defaultVia(IpAddresses.parse("10.77.0.1")));

        Map<String, Object> bridge = link(Optional.empty(), "tbr0").orElseThrow();
        assertEquals("bridge", child(bridge, "linkinfo").get("info_kind"));
        assertEquals(1450, bridge.get("mtu"));
        Map<String, Object> veth = link(Optional.empty(), "tveth0").orElseThrow();
        assertEquals("veth", child(veth, "linkinfo").get("info_kind"));
        assertEquals("tbr0", veth.get("master"));
        assertTrue(((List<?>) veth.get("flags")).contains("UP"));
        assertEquals(List.of("10.77.0.1/24"), addresses(Optional.empty(), "tbr0"));
        assertTrue(link(Optional.empty(), "eth0").isEmpty(), "the peer is born inside, not on the host");
        assertEquals(List.of("10.77.0.2/24"), addresses(inside, "eth0"));
        assertEquals(1450, link(inside, "eth0").orElseThrow().get("mtu"));
        List<Map<String, Object>> routes = ipJson(inside, "route", "show", "default");
        assertEquals(1, routes.size());
        assertEquals("10.77.0.1", routes.get(0).get("gateway"));
        assertEquals("eth0", routes.get(0).get("dev"));

        assertEquals(0, Tools.run(List.of("nsenter", "--net=" + file, "ping", "-c1", "-W1", "10.77.0.1")).exit(),
                "the namespace reaches the bridge across the veth");

        assertListingsMatchIp(host, Optional.empty());
        assertListingsMatchIp(container, inside);
        assertEquals(Set.of(Route.defaultVia(IpAddresses.parse("10.77.0.1")),
                new Route(Cidr.parse("10.77.0.0/24"), Optional.empty(), Optional.of("eth0"))),
                Set.copyOf(container.listRoutes()).stream()
                        .map(r -> r.isDefault() ? new Route(r.destination(), r.gateway(), Optional.empty()) : r)
                        .collect(Collectors.toSet()));

        namespaces.delete(ns);
        assertFalse(Files.exists(file));
        // the kernel destroys it in the background, later the busier the machine is
        assertTrue(Eventually.holds(() -> link(Optional.empty(), "tveth0").isEmpty()), "deleting the namespace destroys the veth");
        host.deleteLink("tbr0");
        assertTrue(link(Optional.empty(), "tbr0").isEmpty());
        assertEquals(List.of(), ipJson("-4", "route", "show", "10.77.0.0/24"));
    }

    @Test
    void settersChangeWhatIpSees() {
        Path file = DIR.resolve("c2");
        NetworkNamespace ns = namespaces.create(file);
        host.createLink(LinkRequest.of("sbr0", new LinkKind.Bridge()));
        host.createLink(LinkRequest.of("sd0", veth("sd0p", NetworkNamespace.host())));

        host.setMaster("sd0", "sbr0");
        host.setMtu("sd0", 1300);
        MacAddress mac = MacAddress.parse("02:42:0a:58:00:07");
        host.setMac("sd0", mac);
        host.setUp("sd0", true);
        host.setBridgePortIsolated("sd0", true);
        Map<String, Object> port = link(Optional.empty(), "sd0").orElseThrow();
        assertEquals("sbr0", port.get("master"));
        assertEquals(1300, port.get("mtu"));
        assertEquals(mac.toString(), port.get("address"));
        assertTrue(((List<?>) port.get("flags")).contains("UP"));
        assertEquals(true, child(child(port, "linkinfo"), "info_slave_data").get("isolated"));
        Link listed = host.getLink("sd0");
        assertEquals(new Link(listed.index(), "sd0", Optional.of("veth"), 1300, Optional.of(mac),
                Optional.of(host.getLink("sbr0").index()), true), listed);

        host.setBridgePortIsolated("sd0", false);
        assertEquals(false, child(child(link(Optional.empty(), "sd0").orElseThrow(), "linkinfo"), "info_slave_data")
                .get("isolated"));
        assertEquals(false, child(child(link(Optional.empty(), "sd0").orElseThrow(), "linkinfo"), "info_slave_data")
                .get("hairpin"));
        host.setBridgePortHairpin("sd0", true);
        assertEquals(true, child(child(link(Optional.empty(), "sd0").orElseThrow(), "linkinfo"), "info_slave_data")
                .get("hairpin"));
        host.setBridgePortHairpin("sd0", false);
        assertEquals(false, child(child(link(Optional.empty(), "sd0").orElseThrow(), "linkinfo"), "info_slave_data")
                .get("hairpin"));
        host.setIpv6LinkLocal("sd0", false);
        assertEquals("none", link(Optional.empty(), "sd0").orElseThrow().get("inet6_addr_gen_mode"));
        host.setIpv6LinkLocal("sd0", true);
        assertEquals("eui64", link(Optional.empty(), "sd0").orElseThrow().get("inet6_addr_gen_mode"));
        host.setUp("sd0", false);
        host.rename("sd0", "sd1");
        assertTrue(link(Optional.empty(), "sd0").isEmpty());
        host.moveToNamespace("sd1", ns);
        assertTrue(link(Optional.empty(), "sd1").isEmpty());
        assertEquals("veth", child(link(Optional.of(file), "sd1").orElseThrow(), "linkinfo").get("info_kind"));

        host.createLink(LinkRequest.of("mv0", new LinkKind.Macvlan("sbr0", LinkKind.MacvlanMode.BRIDGE)));
        Map<String, Object> macvlan = link(Optional.empty(), "mv0").orElseThrow();
        assertEquals("macvlan", child(macvlan, "linkinfo").get("info_kind"));
        assertEquals("bridge", child(child(macvlan, "linkinfo"), "info_data").get("mode"));
        assertEquals("sbr0", macvlan.get("link"));

        host.createLink(LinkRequest.of("born0", veth("born0p", ns)).inNamespace(ns).withUp());
        assertTrue(link(Optional.empty(), "born0").isEmpty());
        assertTrue(((List<?>) link(Optional.of(file), "born0").orElseThrow().get("flags")).contains("UP"));

        host.deleteLink("mv0");
        host.deleteLink("sbr0");
        namespaces.delete(ns);
        assertTrue(link(Optional.empty(), "sbr0").isEmpty());
    }

    @Test
    void addressesAndRoutesAreDeleted() {
        host.createLink(LinkRequest.of("rd0", veth("rd0p", NetworkNamespace.host())).withUp());
        host.setUp("rd0p", true);
        host.addAddress("rd0", Cidr.parse("192.0.2.5/24"));
        Route route = new Route(Cidr.parse("198.51.100.0/24"), Optional.of(IpAddresses.parse("192.0.2.1")),
                Optional.of("rd0"));
        host.addRoute(route);
        assertEquals("192.0.2.1", ipJson("route", "show", "198.51.100.0/24").get(0).get("gateway"));
        assertTrue(host.listRoutes().contains(route));
        KernelException twice = assertThrows(KernelException.class, () -> host.addRoute(route));
        assertEquals(KernelException.EEXIST, twice.errno());
        assertTrue(twice.getMessage().contains("already exists"), twice.getMessage());
        KernelException sameAddress = assertThrows(KernelException.class,
                () -> host.addAddress("rd0", Cidr.parse("192.0.2.5/24")));
        assertTrue(sameAddress.getMessage().startsWith("address 192.0.2.5/24 already exists on link rd0"),
                sameAddress.getMessage());

        host.deleteRoute(route);
        assertEquals(List.of(), ipJson("route", "show", "198.51.100.0/24"));
        host.deleteAddress("rd0", Cidr.parse("192.0.2.5/24"));
        assertEquals(List.of(), addresses(Optional.empty(), "rd0"));
        host.deleteLink("rd0");
    }

    @Test
    void refusalsNameTheObject() {
        host.createLink(LinkRequest.of("ebr0", new LinkKind.Bridge()));
        try {
            KernelException exists = assertThrows(KernelException.class,
                    () -> host.createLink(LinkRequest.of("ebr0", new LinkKind.Bridge())));
            assertEquals(KernelException.EEXIST, exists.errno());
            assertTrue(exists.getMessage().startsWith("a link named ebr0 already exists in the host namespace"),
                    exists.getMessage());

            KernelException missing = assertThrows(KernelException.class,
                    () -> host.addAddress("nosuch0", Cidr.parse("10.1.0.1/24")));
            assertEquals(KernelException.ENODEV, missing.errno());
            assertEquals("no link named nosuch0 in the host namespace", missing.getMessage());

            KernelException noPort = assertThrows(KernelException.class, () -> host.setBridgePortHairpin("ebr0", true));
            assertTrue(noPort.getMessage().startsWith(
                    "link ebr0 in the host namespace is not a bridge port, so it cannot be set to hairpin mode"),
                    noPort.getMessage());
            KernelException noLink = assertThrows(KernelException.class, () -> host.setUp("nosuch0", true));
            assertEquals(KernelException.ENODEV, noLink.errno());
            assertTrue(noLink.getMessage().startsWith("no link named nosuch0 in the host namespace"), noLink.getMessage());

            KernelException unreachable = assertThrows(KernelException.class,
                    () -> host.addRoute(Route.defaultVia(IpAddresses.parse("10.9.9.1"))));
            assertEquals(KernelException.ENETUNREACH, unreachable.errno());
            assertTrue(unreachable.getMessage().startsWith(
                    "gateway 10.9.9.1 is unreachable: no link has an address in its subnet"), unreachable.getMessage());
        } finally {
            host.deleteLink("ebr0");
        }
    }

    /** A veth whose peer is born in {@code peerNamespace} (this kernel has no dummy links). */
    private static LinkKind veth(String peer, NetworkNamespace peerNamespace) {
        return new LinkKind.Veth(peer, peerNamespace, Optional.empty(), Optional.empty());
    }

    /** listLinks, listAddresses and listRoutes against {@code ip -j}. */
    @SuppressWarnings("unchecked")
    private static void assertListingsMatchIp(Netlink netlink, Optional<Path> netns) {
        List<Map<String, Object>> ipLinks = ipJson(netns, "-d", "link", "show");
        assertEquals(ipLinks.stream().map(l -> ((Number) l.get("ifindex")).intValue() + " " + l.get("ifname") + " "
                        + l.get("mtu") + " " + Optional.ofNullable(l.get("master")).orElse("-")).toList(),
                netlink.listLinks().stream().map(l -> l.index() + " " + l.name() + " " + l.mtu() + " "
                        + l.masterIndex().map(i -> nameOf(netlink, i)).orElse("-")).toList());
        List<InterfaceAddress> expected = ipJson(netns, "-4", "addr", "show").stream()
                .flatMap(l -> ((List<Map<String, Object>>) l.get("addr_info")).stream()
                        .map(a -> new InterfaceAddress(((Number) l.get("ifindex")).intValue(),
                                Cidr.parse(a.get("local") + "/" + a.get("prefixlen")))))
                .toList();
        assertEquals(expected, netlink.listAddresses());
        Set<String> ipRoutes = ipJson(netns, "-4", "route", "show").stream()
                .map(r -> r.get("dst") + " " + Optional.ofNullable(r.get("gateway")).orElse("-") + " " + r.get("dev"))
                .collect(Collectors.toSet());
        assertEquals(ipRoutes, netlink.listRoutes().stream()
                .map(r -> (r.isDefault() ? "default" : r.destination().prefixLength() == 32
                        ? IpAddresses.format(r.destination().address()) : r.destination().toString())
                        + " " + r.gateway().map(IpAddresses::format).orElse("-") + " " + r.device().orElse("?"))
                .collect(Collectors.toSet()));
    }

    private static String nameOf(Netlink netlink, int index) {
        return netlink.listLinks().stream().filter(l -> l.index() == index).findFirst().orElseThrow().name();
    }
}
