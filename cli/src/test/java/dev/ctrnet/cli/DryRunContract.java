package dev.ctrnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.testing.Privileged;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 12's {@code --dry-run}, once per NAT backend, through the real CLI: the script that {@code run --dry-run}
 * prints, run in one fresh host, makes the links, addresses, routes, sysctls and rules that {@code run} makes in
 * another; a dry run changes nothing and starts no service; through the service it says what it says in-process;
 * and bad input is one {@code ctrnet:} line.
 */
@Privileged
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DryRunContract {
    private static final Pattern CONTAINER_NETNS = Pattern.compile("unshare --net=(\\S+) true");

    private final String backend;
    private final String tag;
    private final List<String> hosts = new ArrayList<>();
    private final List<Runnable> cleanUps = new ArrayList<>();

    /** {@code tag} keeps this backend's roots and namespaces apart from the other's. */
    DryRunContract(String backend, String tag) {
        this.backend = backend;
        this.tag = tag;
    }

    @BeforeAll
    void host() {
        TestHost.ensure();
    }

    @AfterAll
    void cleanUp() {
        cleanUps.forEach(Runnable::run);
        hosts.forEach(h -> Shell.run(List.of("ip", "netns", "del", h)));
    }

    @Test
    void theScriptOfRunMakesWhatRunMakes() throws IOException {
        Ctrnet ctrnet = ctrnet("equal");
        Path dryHost = freshHost("dry");
        Path realHost = freshHost("real");
        Plumbing untouched = Plumbing.of(dryHost);

        String script = ctrnet.inNetworkNamespace(dryHost)
                .ok("run", "--dry-run", "-d", "--name", "web", "-p", "8080:80", "--", "sleep", "100");
        assertEquals("", Plumbing.of(dryHost).differencesFrom(untouched), "the dry run changed the kernel");
        assertFalse(Files.exists(ctrnet.root()), "the dry run made a state root");
        assertEquals("not running", ctrnet.run("service", "status").out().strip(), "a service was started for a dry run");
        assertTrue(script.startsWith("#!/bin/sh\n"), script);
        assertTrue(script.contains(backend.equals("nftables") ? "\nnft -f - <<'EOF'\n" : "\niptables-restore --noflush <<'EOF'\n"),
                "the rules go to " + backend + "'s own tool:\n" + script);

        Path file = Files.writeString(Files.createTempFile("ctrnet-dry-run", ".sh"), script);
        Shell.run(List.of("nsenter", "--net=" + dryHost, "sh", file.toString())).ok();
        Files.delete(file);
        Ctrnet real = ctrnet.inNetworkNamespace(realHost);
        cleanUps.add(() -> {
            real.run("rm", "-f", "web");
            real.run("service", "stop");
        });
        real.ok("run", "-d", "--name", "web", "-p", "8080:80", "--", "sleep", "100");

        Matcher dryContainer = CONTAINER_NETNS.matcher(script);
        assertTrue(dryContainer.find(), "the script makes the container's namespace:\n" + script);
        Path realContainer = Path.of((String) real.inspect("web").get("netns"));
        assertSame("the host's namespace", () -> Plumbing.of(dryHost), () -> Plumbing.of(realHost));
        assertSame("the container's namespace", () -> Plumbing.of(Path.of(dryContainer.group(1))),
                () -> Plumbing.of(realContainer));
    }

    @Test
    void throughTheServiceADryRunSaysWhatItSaysInProcessAndChangesNothing() throws IOException {
        Ctrnet ctrnet = ctrnet("service");
        cleanUps.add(() -> ctrnet.run("service", "stop"));
        ctrnet.ok("network", "create", "--subnet", "10.71.0.0/24", "side");
        ctrnet.ok("run", "-d", "--name", "svc", "-p", "8071:80", "--", "sleep", "300");
        cleanUps.add(() -> ctrnet.run("rm", "-f", "svc"));
        String bridge = (String) Json.object(ctrnet.ok("network", "inspect", "bridge")).get("bridge");
        assertTrue(Eventually.holds(() -> Shell.run(List.of("ip", "-j", "link", "show", bridge)).ok().out()
                .contains("\"operstate\":\"UP\"")), "the bridge came up with its port");
        HostSnapshot before = HostSnapshot.of(ctrnet.root());

        long served = served(ctrnet);
        String rm = ctrnet.ok("rm", "--dry-run", "-f", "svc");
        assertEquals(served + 2, served(ctrnet), "the dry run (and one status) went through the service");
        assertEquals(rm, ctrnet.ok("--no-daemon", "rm", "--dry-run", "-f", "svc"), "in-process, the same script");
        assertTrue(rm.contains("\nkill -KILL "), "rm -f kills the running container first:\n" + rm);
        String connect = ctrnet.ok("network", "connect", "--dry-run", "side", "svc");
        assertTrue(connect.contains(" peer name eth1 "), "the second interface is eth1:\n" + connect);
        // a user network's name server is neither started nor told, and the script says so
        assertTrue(connect.contains("# not part of the dry run: network side's name server"), connect);
        assertFalse(Files.exists(ctrnet.root().resolve("run/dns/side")), "no name server was started");
        String disconnect = ctrnet.ok("network", "disconnect", "--dry-run", "bridge", "svc");
        assertTrue(disconnect.contains(" ip link del eth0\n"), disconnect);
        String create = ctrnet.ok("network", "create", "--dry-run", "--subnet", "10.72.0.0/24", "--opt", "bridge=drytest0", "more");
        // its MAC is derived from its gateway, 10.72.0.1
        assertTrue(create.contains("\nip link add drytest0 address 02:42:0a:48:00:01 up type bridge\n"), create);
        String remove = ctrnet.ok("network", "rm", "--dry-run", "side");
        assertFalse(remove.isEmpty());
        assertTrue(ctrnet.run("network", "rm", "--dry-run", "bridge").exit() != 0, "refused as network rm refuses it");
        assertEquals("", HostSnapshot.of(ctrnet.root()).differencesFrom(before), "the dry runs changed something");
        assertEquals("running", ctrnet.inspect("svc").get("state"));

        // connect's script is runnable as it stands: eth1 appears in the container with the next address of side
        Path script = Files.writeString(Files.createTempFile("ctrnet-dry-connect", ".sh"), connect);
        Shell.run(List.of("sh", script.toString())).ok();
        Files.delete(script);
        String netns = (String) ctrnet.inspect("svc").get("netns");
        String eth1 = Shell.run(List.of("nsenter", "--net=" + netns, "ip", "-o", "-4", "addr", "show", "eth1")).ok().out();
        assertTrue(eth1.contains("10.71.0.2/24"), eth1);
        ctrnet.ok("rm", "-f", "svc");
        ctrnet.ok("network", "rm", "side");
    }

    @Test
    void badInputWithDryRunIsOneLineAndLeavesNothing() {
        Ctrnet ctrnet = ctrnet("bad");
        ctrnet.run("run", "--dry-run", "--network", "nosuch", "--", "true").refused();
        ctrnet.run("run", "--dry-run", "-p", "99999:80", "--", "true").refused();
        ctrnet.run("network", "create", "--dry-run", "--subnet", "300.1.2.3/24", "x").refused();
        ctrnet.run("rm", "--dry-run", "nosuch").refused();
        ctrnet.run("network", "connect", "--dry-run", "bridge", "nosuch").refused();
        assertFalse(Files.exists(ctrnet.root()), "nothing was made");
    }

    private Ctrnet ctrnet(String purpose) {
        return new Ctrnet(Path.of("/run/ctrnet-test/dry-run-" + tag + "-" + purpose), "--nat", backend);
    }

    /** A new network namespace playing a host as {@link TestHost}'s: an uplink, an address, a default route. */
    private Path freshHost(String name) {
        String ns = "dry-run-" + tag + "-" + name;
        hosts.add(ns);
        String ip = "ip -n " + ns + " ";
        Shell.sh(String.join(" && ", "ip netns add " + ns, ip + "link set lo up",
                ip + "link add uplink0 mtu 1450 type veth peer name uplink1",
                ip + "addr add " + TestHost.HOST_IP + "/24 dev uplink0", ip + "link set uplink0 up",
                ip + "link set uplink1 up", ip + "route add default via " + TestHost.OUTSIDE_IP)).ok();
        return Path.of("/run/netns", ns);
    }

    /** Equal once the kernel has settled (a bridge port's state follows its carrier). */
    private static void assertSame(String what, Supplier<Plumbing> dry, Supplier<Plumbing> real) {
        if (!Eventually.holds(() -> dry.get().equals(real.get()))) {
            assertEquals("", dry.get().differencesFrom(real.get()), what + ": the script's (after ->) differs from run's");
        }
    }

    /** How many commands the service has served ({@code service status}), this one included. */
    private static long served(Ctrnet ctrnet) {
        Matcher m = Pattern.compile("commands served (\\d+)").matcher(ctrnet.ok("service", "status"));
        assertTrue(m.find(), "the service runs");
        return Long.parseLong(m.group(1));
    }
}
