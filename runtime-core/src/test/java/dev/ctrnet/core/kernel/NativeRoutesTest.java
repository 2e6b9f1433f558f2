package dev.ctrnet.core.kernel;

import static dev.ctrnet.core.kernel.Tools.ipJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.testing.Privileged;
import dev.ctrnet.api.kernel.InterfaceAddress;
import dev.ctrnet.api.kernel.Kernel;
import dev.ctrnet.api.kernel.LinkKind;
import dev.ctrnet.api.kernel.LinkRequest;
import dev.ctrnet.api.kernel.Namespaces;
import dev.ctrnet.api.kernel.Netlink;
import dev.ctrnet.api.kernel.NetworkNamespace;
import dev.ctrnet.api.kernel.Route;
import dev.ctrnet.api.kernel.RouteScope;
import dev.ctrnet.api.kernel.Sysctl;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.core.undo.RecordingKernel;
import dev.ctrnet.core.container.NativeSandboxes;
import dev.ctrnet.core.undo.Journals;
import dev.ctrnet.core.undo.Operation;
import dev.ctrnet.core.undo.Rollback;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Privileged: routes with every field, replaced in place and looked up one at a time, in a namespace of the
 * test's own (a link {@code r0} with 192.0.2.5/24 and 2001:db8::5/64, its peer {@code r0p} beside it), checked
 * with {@code ip -j}; and the undo of each such change.
 */
@Privileged
class NativeRoutesTest {
    private static final Path DIR = Path.of("/run/ctrnet-test/netns");
    private static final int TABLE = 100;

    private NativeNamespaces namespaces;
    private NetworkNamespace ns;
    private Optional<Path> inside;
    private Netlink netlink;

    @BeforeEach
    void open() throws Exception {
        Files.createDirectories(DIR);
        namespaces = new NativeNamespaces();
        Path file = Files.createTempFile(DIR, "routes", "");
        Files.delete(file);
        ns = namespaces.create(file);
        inside = Optional.of(file);
        netlink = namespaces.netlink(ns);
        netlink.setUp("lo", true);
        netlink.createLink(LinkRequest.of("r0", new LinkKind.Veth("r0p", ns, Optional.empty(), Optional.empty())).withUp());
        netlink.setUp("r0p", true);
        netlink.addAddress("r0", Cidr.parse("192.0.2.5/24"));
        netlink.addAddress("r0", Cidr.parse("2001:db8::5/64"));
    }

    @AfterEach
    void close() {
        namespaces.delete(ns);
        namespaces.close();
    }

    @Test
    void aRouteWithEachFieldIsWhatIpShows() {
        Route metric = route("198.51.100.0/24", "192.0.2.1").withMetric(7).inTable(TABLE);
        Route onlink = route("203.0.113.0/25", "10.99.0.1").withOnlink().inTable(TABLE);
        Route host = new Route(Cidr.parse("203.0.113.128/25"), Optional.empty(), Optional.of("r0"))
                .withScope(RouteScope.HOST).inTable(TABLE);
        Route universe = new Route(Cidr.parse("10.98.0.0/16"), Optional.empty(), Optional.of("r0"))
                .withScope(RouteScope.UNIVERSE).withMetric(5).inTable(TABLE);
        Route big = route("10.97.0.0/16", "192.0.2.1").inTable(70_000);
        Route ipv6 = new Route(Cidr.parse("2001:db8:1::/64"), Optional.of(IpAddresses.parse("2001:db8::1")),
                Optional.of("r0")).withMetric(300).inTable(TABLE);
        for (Route route : List.of(metric, onlink, host, universe, big, ipv6)) {
            netlink.addRoute(route);
        }

        assertEquals(Map.of("gateway", "192.0.2.1", "dev", "r0", "metric", 7, "scope", "global", "flags", List.of(),
                "protocol", "boot"), shown("-4", "198.51.100.0/24", TABLE));
        assertEquals(Map.of("gateway", "10.99.0.1", "dev", "r0", "scope", "global", "flags", List.of("onlink"),
                "protocol", "boot"), shown("-4", "203.0.113.0/25", TABLE));
        assertEquals(Map.of("dev", "r0", "scope", "host", "flags", List.of(), "protocol", "boot"),
                shown("-4", "203.0.113.128/25", TABLE));
        assertEquals(Map.of("dev", "r0", "metric", 5, "scope", "global", "flags", List.of(), "protocol", "boot"),
                shown("-4", "10.98.0.0/16", TABLE));
        assertEquals(Map.of("gateway", "192.0.2.1", "dev", "r0", "scope", "global", "flags", List.of(),
                "protocol", "boot"), shown("-4", "10.97.0.0/16", 70_000));
        assertEquals("2001:db8::1", shown("-6", "2001:db8:1::/64", TABLE).get("gateway"));
        assertEquals(300, shown("-6", "2001:db8:1::/64", TABLE).get("metric"));

        assertEquals(Set.of(metric, onlink, host, universe, ipv6), Set.copyOf(netlink.listRoutes(TABLE)),
                "the table's routes read back as they were made");
        assertEquals(List.of(big), netlink.listRoutes(70_000));
        assertEquals(List.of(), netlink.listRoutes(4242), "a table that does not exist has no routes");
        assertTrue(netlink.listRoutes().stream().noneMatch(r -> r.table() != Route.MAIN_TABLE));

        for (Route route : List.of(metric, onlink, host, universe, big, ipv6)) {
            netlink.deleteRoute(route);
        }
        assertEquals(List.of(), ipJson(inside, "route", "show", "table", Integer.toString(TABLE)));
        assertEquals(List.of(), ipJson(inside, "-6", "route", "show", "table", Integer.toString(TABLE)));
    }

    @Test
    void replaceChangesARouteInPlaceOrMakesOne() {
        Route first = route("198.51.100.0/24", "192.0.2.1");
        netlink.replaceRoute(first);
        assertEquals("192.0.2.1", shown("-4", "198.51.100.0/24", Route.MAIN_TABLE).get("gateway"), "made when missing");

        Route second = route("198.51.100.0/24", "192.0.2.2");
        netlink.replaceRoute(second);
        netlink.replaceRoute(second);
        List<Map<String, Object>> routes = ipJson(inside, "route", "show", "198.51.100.0/24");
        assertEquals(1, routes.size(), routes.toString());
        assertEquals("192.0.2.2", routes.get(0).get("gateway"));

        Route otherMetric = second.withMetric(50);
        netlink.replaceRoute(otherMetric);
        assertEquals(2, ipJson(inside, "route", "show", "198.51.100.0/24").size(),
                "a route of another metric has a key of its own: replacing it leaves the first");
    }

    @Test
    void aLookUpReturnsTheTableEntryTheKernelWouldUse() {
        netlink.addRoute(new Route(Cidr.parse("10.50.0.0/16"), Optional.empty(), Optional.of("r0")));
        Route specific = route("10.50.1.0/24", "192.0.2.1").withMetric(20);
        netlink.addRoute(specific);
        netlink.addRoute(route("10.50.1.0/24", "192.0.2.2").withMetric(30));
        assertEquals(Optional.empty(), netlink.findDefaultRoute(), "no default route yet");
        assertEquals(Optional.empty(), netlink.findRoute(IpAddresses.parse("203.0.113.9")));
        Route defaultRoute = Route.defaultVia(IpAddresses.parse("192.0.2.1"));
        netlink.addRoute(defaultRoute);

        assertEquals(Optional.of(specific), netlink.findRoute(IpAddresses.parse("10.50.1.9")),
                "the longest prefix, and of two the lower metric");
        assertEquals(fibMatch("10.50.1.9"), "10.50.1.0/24");
        assertEquals(Optional.of(new Route(Cidr.parse("10.50.0.0/16"), Optional.empty(), Optional.of("r0"))),
                netlink.findRoute(IpAddresses.parse("10.50.2.1")));
        assertEquals(Optional.of(new Route(Cidr.parse("192.0.2.0/24"), Optional.empty(), Optional.of("r0"))),
                netlink.findRoute(IpAddresses.parse("192.0.2.77")), "the kernel's own route of the link's subnet");
        Optional<Route> found = netlink.findDefaultRoute();
        assertEquals(Optional.of(defaultRoute.gateway().orElseThrow()), found.flatMap(Route::gateway));
        assertEquals(Optional.of("r0"), found.flatMap(Route::device));
        assertEquals(Optional.of(0), found.map(r -> r.destination().prefixLength()));
        assertEquals(fibMatch("0.0.0.1"), "default");

        netlink.addRoute(new Route(Cidr.parse("10.60.0.0/16"), Optional.empty(), Optional.of("r0")).inTable(TABLE));
        assertEquals(0, Tools.run(List.of("nsenter", "--net=" + inside.orElseThrow(), "ip", "rule", "add", "to",
                "10.60.0.0/16", "lookup", Integer.toString(TABLE))).exit());
        assertEquals(Optional.of(TABLE), netlink.findRoute(IpAddresses.parse("10.60.3.3")).map(Route::table),
                "in whichever table the namespace's rules lead to");

        assertEquals(0, Tools.run(List.of("nsenter", "--net=" + inside.orElseThrow(), "ip", "route", "add",
                "unreachable", "10.70.0.0/16")).exit());
        assertEquals(Optional.empty(), netlink.findRoute(IpAddresses.parse("10.70.0.1")), "an unreachable route");
        assertEquals(0, Tools.run(List.of("nsenter", "--net=" + inside.orElseThrow(), "ip", "route", "add",
                "blackhole", "10.71.0.0/16")).exit());
        assertEquals(Optional.empty(), netlink.findRoute(IpAddresses.parse("10.71.0.1")), "a blackhole route");

        netlink.addRoute(Route.defaultVia(IpAddresses.parse("2001:db8::1")));
        assertEquals(Optional.of(IpAddresses.parse("2001:db8::1")),
                netlink.findRoute(IpAddresses.parse("2001:db8:ffff::1")).flatMap(Route::gateway));
    }

    @Test
    void theAddressesOfOneLink() {
        netlink.createLink(LinkRequest.of("r1", new LinkKind.Veth("r1p", ns, Optional.empty(), Optional.empty())));
        netlink.addAddress("r1", Cidr.parse("198.51.100.9/24"));
        netlink.addAddress("r1", Cidr.parse("198.51.100.10/24"));
        int r1 = netlink.getLink("r1").index();
        assertEquals(List.of(new InterfaceAddress(r1, Cidr.parse("198.51.100.9/24")),
                new InterfaceAddress(r1, Cidr.parse("198.51.100.10/24"))), netlink.listAddresses("r1"));
        assertEquals(List.of(new InterfaceAddress(netlink.getLink("r0").index(), Cidr.parse("192.0.2.5/24"))),
                netlink.listAddresses("r0"), "IPv4 only");
        assertEquals(List.of(), netlink.listAddresses("r1p"));
        assertEquals(List.of(), netlink.listAddresses("nosuch0"));
    }

    @Test
    void theUndoOfAReplacePutsBackWhatWasThereOrRemovesWhatWasNot() {
        Route hostRoute = route("198.51.100.7/32", "192.0.2.1");
        Route wide = route("10.40.0.0/16", "192.0.2.1").inTable(TABLE);
        Route ipv6 = new Route(Cidr.parse("2001:db8:2::/64"), Optional.of(IpAddresses.parse("2001:db8::1")),
                Optional.of("r0"));
        netlink.addRoute(hostRoute);
        netlink.addRoute(wide);
        netlink.addRoute(ipv6);
        netlink.addRoute(route("10.40.1.0/24", "192.0.2.3").inTable(TABLE)); // what a look-up of 10.40.0.0 finds instead

        Rollback rollback = Journals.none(kernel(), new NativeSandboxes(new NativeNamespaces()))
                .rollBack(Operation.of(Operation.Kind.CONNECT, "routes", "replaced"));
        Netlink recording = new RecordingKernel(kernel(), rollback).namespaces().netlink(ns);
        recording.replaceRoute(route("198.51.100.7/32", "192.0.2.2"));
        recording.replaceRoute(route("10.40.0.0/16", "192.0.2.2").withOnlink().inTable(TABLE));
        recording.replaceRoute(new Route(Cidr.parse("2001:db8:2::/64"), Optional.of(IpAddresses.parse("2001:db8::2")),
                Optional.of("r0")));
        Route made = route("198.51.100.8/32", "192.0.2.2").withMetric(9);
        recording.replaceRoute(made);
        Route added = route("10.41.0.0/16", "192.0.2.2").withMetric(3).inTable(TABLE);
        recording.addRoute(added);
        assertEquals("192.0.2.2", shown("-4", "10.40.0.0/16", TABLE).get("gateway"));
        assertEquals(List.of("onlink"), shown("-4", "10.40.0.0/16", TABLE).get("flags"));

        rollback.undoAll(new IllegalStateException("a later step failed"));
        assertEquals("192.0.2.1", shown("-4", "198.51.100.7/32", Route.MAIN_TABLE).get("gateway"));
        assertEquals(Map.of("gateway", "192.0.2.1", "dev", "r0", "scope", "global", "flags", List.of(),
                "protocol", "boot"), shown("-4", "10.40.0.0/16", TABLE));
        assertEquals("2001:db8::1", shown("-6", "2001:db8:2::/64", Route.MAIN_TABLE).get("gateway"));
        assertEquals(List.of(), ipJson(inside, "route", "show", "198.51.100.8/32"));
        assertEquals(List.of(), ipJson(inside, "route", "show", "10.41.0.0/16", "table", Integer.toString(TABLE)));
    }

    /** The real primitives, as the runtime hands them to drivers through a recording wrapper. */
    private Kernel kernel() {
        return new RealKernel(namespaces, new ProcSysctl(namespaces));
    }

    private record RealKernel(Namespaces namespaces, Sysctl sysctl) implements Kernel {}

    private static Route route(String destination, String gateway) {
        return new Route(Cidr.parse(destination), Optional.of(IpAddresses.parse(gateway)), Optional.of("r0"));
    }

    /** What {@code ip -j -d route show DESTINATION table TABLE} prints of a route, but its destination and type. */
    private Map<String, Object> shown(String family, String destination, int table) {
        List<Map<String, Object>> routes = ipJson(inside, family, "-d", "route", "show", destination, "table",
                Integer.toString(table));
        assertEquals(1, routes.size(), routes.toString());
        Map<String, Object> route = new java.util.HashMap<>(routes.get(0));
        assertEquals("unicast", route.remove("type"));
        route.remove("dst");
        route.remove("pref"); // IPv6's router preference
        return route;
    }

    /** The destination {@code ip route get fibmatch ADDRESS} names. */
    private String fibMatch(String address) {
        return (String) ipJson(inside, "route", "get", "fibmatch", address).get(0).get("dst");
    }
}
