package dev.ctrnet.core.dryrun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.Endpoint;
import dev.ctrnet.api.Network;
import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.api.kernel.LinkKind;
import dev.ctrnet.api.kernel.LinkRequest;
import dev.ctrnet.api.kernel.Netlink;
import dev.ctrnet.api.kernel.NetworkNamespace;
import dev.ctrnet.api.kernel.Programs;
import dev.ctrnet.api.kernel.Route;
import dev.ctrnet.api.kernel.RouteScope;
import dev.ctrnet.api.kernel.SysctlKey;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.driver.bridge.BridgeDriver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The dry run's kernel and tools, on a host that only answers reads: what they write down, and what they refuse. */
class ScriptedKernelTest {
    private static final String ID = "0123456789abcdef".repeat(4);
    /** A state root with a space in its name, which every command must quote. */
    private static final Path RUN = Path.of("/var/lib/my ctrnet/run");

    private final FixedHost host = new FixedHost();
    private final ShellScript script = new ShellScript();
    private final ScriptedKernel kernel = new ScriptedKernel(host, host, script);
    private final BridgeDriver bridge = new BridgeDriver();
    private final Network network = bridge.validate(new Network("bridge", ID, "bridge", Optional.of(Cidr.parse("10.88.0.0/16")),
            Optional.of(IpAddresses.parse("10.88.0.1")), false, Map.of("bridge", "ctrnet0")));

    /** What {@code run -p …} asks of the kernel on a fresh host, in its order. */
    private NetworkNamespace container() {
        bridge.create(network, kernel);
        kernel.sandboxes().startUts(RUN.resolve("uts").resolve(ID), "web").join();
        NetworkNamespace sandbox = kernel.namespaces().create(RUN.resolve("netns").resolve(ID));
        kernel.namespaces().netlink(sandbox).setUp("lo", true);
        bridge.attach(network, new Endpoint("web", ID, sandbox, "eth0", Optional.of(Cidr.parse("10.88.0.2/16")),
                network.gateway(), true), kernel);
        return sandbox;
    }

    @Test
    void aContainerOnTheBridgeIsWrittenAsTheTutorialsCommands() throws IOException {
        container();
        assertEquals(golden("bridge-container.sh"), script.render("ctrnet run"));
    }

    @Test
    void laterReadsSeeWhatTheRunWouldHaveMade() {
        NetworkNamespace sandbox = container();
        Netlink inside = kernel.namespaces().netlink(sandbox);
        assertEquals(List.of("lo", "eth0"), inside.listLinks().stream().map(l -> l.name()).toList());
        assertTrue(inside.getLink("eth0").up());
        assertEquals(1450, inside.getLink("eth0").mtu(), "the MTU of the host's default-route interface");
        assertTrue(inside.listRoutes().stream().anyMatch(r -> r.isDefault()));
        Netlink outside = kernel.hostNetlink();
        int bridgeIndex = outside.getLink("ctrnet0").index();
        assertEquals(Optional.of(bridgeIndex), outside.getLink("ve-01234567-0").masterIndex());
        assertEquals("1", kernel.sysctl().read(NetworkNamespace.host(), "net.ipv4.ip_forward"));
    }

    @Test
    void aRouteWithEveryFieldIsWrittenAsIpTakesIt() {
        Netlink outside = kernel.hostNetlink();
        Route onlink = new Route(Cidr.parse("203.0.113.0/24"), Optional.of(IpAddresses.parse("10.99.0.1")),
                Optional.of("uplink0")).withOnlink().withMetric(7).inTable(100);
        outside.replaceRoute(onlink);
        Route hostScope = new Route(Cidr.parse("10.98.0.0/16"), Optional.empty(), Optional.of("uplink0"))
                .withScope(RouteScope.HOST);
        outside.addRoute(hostScope);
        Route replaced = new Route(Cidr.parse("203.0.113.0/24"), Optional.of(IpAddresses.parse("198.51.100.3")),
                Optional.of("uplink0")).withMetric(7).inTable(100);
        outside.replaceRoute(replaced);
        outside.deleteRoute(hostScope);

        assertEquals(List.of(
                "ip route replace 203.0.113.0/24 via 10.99.0.1 dev uplink0 onlink metric 7 table 100",
                "ip route add 10.98.0.0/16 dev uplink0 scope host",
                "ip route replace 203.0.113.0/24 via 198.51.100.3 dev uplink0 metric 7 table 100",
                "ip route del 10.98.0.0/16 dev uplink0"),
                script.render("routes").lines().filter(l -> l.startsWith("ip ")).toList());
        assertEquals(List.of(replaced), outside.listRoutes(100), "replaced in place, as the kernel would");
        assertEquals(Optional.of("uplink0"), outside.findDefaultRoute().flatMap(Route::device));
        assertEquals(List.of(), outside.listAddresses("nosuch0"));
        assertEquals(List.of(Cidr.parse("198.51.100.1/24")),
                outside.listAddresses("uplink0").stream().map(a -> a.address()).toList());
    }

    @Test
    void deletingTheContainersNamespaceTakesItsCablesHostEndWithIt() {
        NetworkNamespace sandbox = container();
        kernel.namespaces().delete(sandbox);
        assertEquals(Optional.empty(), kernel.hostNetlink().findLink("ve-01234567-0"));
        assertTrue(script.render("ctrnet rm").endsWith("\numount -l '" + RUN.resolve("netns").resolve(ID) + "'\nrm -f '"
                + RUN.resolve("netns").resolve(ID) + "'\n"), script.render("ctrnet rm"));
    }

    @Test
    void whatTheKernelWouldRefuseIsRefusedAndNotWritten() {
        Netlink outside = kernel.hostNetlink();
        KernelException taken = assertThrows(KernelException.class,
                () -> outside.createLink(LinkRequest.of("uplink0", new LinkKind.Bridge())));
        assertEquals(KernelException.EEXIST, taken.errno());
        KernelException missing = assertThrows(KernelException.class, () -> outside.deleteLink("nosuch0"));
        assertEquals(KernelException.ENODEV, missing.errno());
        assertThrows(KernelException.class, () -> outside.addAddress("nosuch0", Cidr.parse("10.0.0.1/24")));
        assertThrows(KernelException.class, () -> kernel.namespaces().runIn(NetworkNamespace.host(), () -> 1));
        assertTrue(script.isEmpty());
    }

    @Test
    void anInterfaceParameterWhoseNameHoldsADotIsWrittenWithSlashes() {
        kernel.sysctl().write(NetworkNamespace.host(), SysctlKey.ofInterface("ipv4", "up0.5", "rp_filter"), "2");
        assertTrue(script.render("x").endsWith("\nsysctl -q -w net/ipv4/conf/up0.5/rp_filter=2\n"), script.render("x"));
    }

    @Test
    void ruleScriptsAreWrittenAsHereDocumentsWhileReadsRun() {
        Programs real = new Programs() {
            @Override
            public Result run(List<String> command, String input) {
                return new Result(0, "read " + command.get(0), "");
            }

            @Override
            public boolean exists(String program) {
                return true;
            }
        };
        ScriptedPrograms programs = new ScriptedPrograms(real, script);
        assertEquals("read iptables-save", programs.run(List.of("iptables-save"), "").stdout());
        assertEquals("read iptables-restore", programs.run(List.of("iptables-restore", "--noflush", "--test"), "x").stdout());
        assertTrue(script.isEmpty(), "reads and checks are not steps");
        programs.because("publish 80/tcp");
        assertTrue(programs.run(List.of("iptables-restore", "--noflush"), "*nat\nEOF\nCOMMIT\n").ok());
        assertTrue(programs.nftables().orElseThrow().run("add table inet ctrnet\n").ok());
        assertEquals("""
                
                # publish 80/tcp
                iptables-restore --noflush <<'EOF_'
                *nat
                EOF
                COMMIT
                EOF_
                
                # publish 80/tcp
                nft -f - <<'EOF'
                add table inet ctrnet
                EOF
                """, script.render("x").substring(script.render("x").indexOf("set -e\n") + "set -e\n".length()));
    }

    @Test
    void wordsTheShellWouldReadOtherwiseAreQuoted() {
        assertEquals("net.ipv4.ip_forward=1", ShellScript.quote("net.ipv4.ip_forward=1"));
        assertEquals("'a b'", ShellScript.quote("a b"));
        assertEquals("'it'\\''s'", ShellScript.quote("it's"));
        assertEquals("'$(x)'", ShellScript.quote("$(x)"));
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = ScriptedKernelTest.class.getResourceAsStream("/dryrun/" + name)) {
            if (in == null) {
                throw new AssertionError("no golden file " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
