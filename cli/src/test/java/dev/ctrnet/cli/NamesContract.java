package dev.ctrnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.testing.Privileged;
import dev.ctrnet.api.testing.Probe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 13's names through the real CLI, once per NAT backend: containers on a user network find each
 * other by name and alias, and nothing else; other names go to the host's resolvers; {@code rm} and
 * {@code network disconnect} take a name away at once; a killed name server comes back with
 * {@code system prune}; {@code network rm} leaves no process or file.
 *
 * <p>The host's resolver is a loopback one, as systemd-resolved's 127.0.0.53: a dnsmasq on 127.0.0.53 in the
 * sandbox's namespace (which plays the host), named by a resolv.conf bound over {@code /etc/resolv.conf} in the
 * sandbox's own mount namespace. It forwards to the outside world's name server, which knows
 * {@code example.test}. No container can reach 127.0.0.53, so an outside name that resolves in a container
 * has gone through the network's name server, in the host's namespace.
 */
@Privileged
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class NamesContract {
    private static final String OUTSIDE_NAME = "www.example.test";
    private static final String OUTSIDE_NAME_IP = "198.51.100.7";
    private static final String HOST_RESOLVER = "127.0.0.53";
    private static final String GATEWAY = "10.71.0.1";
    private static final String OTHER_GATEWAY = "10.72.0.1";
    /** dig's exit status when no server replied. */
    private static final int DIG_NO_REPLY = 9;

    private final Ctrnet ctrnet;
    private final List<Process> resolvers = new ArrayList<>();
    private Path resolvConf;

    NamesContract(String backend, String root) {
        this.ctrnet = new Ctrnet(Path.of(root), "--nat", backend);
    }

    @BeforeAll
    void hostAndItsResolvers() throws IOException {
        TestHost.ensure();
        resolvers.add(Shell.background(TestHost.outside("dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null",
                "--listen-address=" + TestHost.OUTSIDE_IP, "--bind-interfaces", "--no-resolv", "--no-hosts",
                "--pid-file=", "--address=/example.test/" + OUTSIDE_NAME_IP)));
        resolvers.add(Shell.background(List.of("dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null",
                "--listen-address=" + HOST_RESOLVER, "--bind-interfaces", "--no-resolv", "--no-hosts", "--pid-file=",
                "--server=" + TestHost.OUTSIDE_IP)));
        assertTrue(Eventually.holds(() -> Shell.run(List.of("dig", "+short", "+time=1", "+tries=1", "@" + HOST_RESOLVER,
                OUTSIDE_NAME)).out().trim().equals(OUTSIDE_NAME_IP)), "the host's resolver answers");
        resolvConf = Files.createTempFile("ctrnet-names-resolv", ".conf");
        Files.writeString(resolvConf, "nameserver " + HOST_RESOLVER + "\n");
        // as a host's: the name servers read it after giving up root
        Files.setPosixFilePermissions(resolvConf, PosixFilePermissions.fromString("rw-r--r--"));
        Shell.run(List.of("mount", "--bind", resolvConf.toString(), "/etc/resolv.conf")).ok();
        ctrnet.ok("network", "create", "--subnet", "10.71.0.0/24", "names-a");
        ctrnet.ok("network", "create", "--subnet", "10.72.0.0/24", "names-b");
        webServer("web", "names-a", "www");
        webServer("client", "names-a", "api");
    }

    @AfterAll
    void cleanUp() throws IOException {
        for (Map<String, Object> c : Json.array(ctrnet.ok("ps", "-a", "--format", "json"))) {
            ctrnet.ok("rm", "-f", (String) c.get("name"));
        }
        for (String network : List.of("names-a", "names-b", "names-gone")) {
            ctrnet.run("network", "rm", network);
        }
        ctrnet.run("service", "stop");
        Shell.run(List.of("umount", "/etc/resolv.conf"));
        resolvers.forEach(Process::destroy);
        if (resolvConf != null) {
            Files.deleteIfExists(resolvConf);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void containersReachEachOtherByNameAndAlias() {
        assertEquals("nameserver " + GATEWAY, ctrnet.ok("exec", "client", "--", "head", "-n1", "/etc/resolv.conf").trim());
        for (String name : List.of("web", "www")) {
            assertEquals(0, ping("client", name), "client pings " + name);
            assertEquals("hello from web", curl("client", name), "client fetches from " + name);
        }
        for (String name : List.of("client", "api")) {
            assertEquals(0, ping("web", name), "web pings " + name);
            assertEquals("hello from client", curl("web", name), "web fetches from " + name);
        }
        Map<String, Object> web = ctrnet.inspect("web");
        assertEquals(List.of("www"), ((List<Map<String, Object>>) web.get("networks")).get(0).get("aliases"));
        assertEquals(Map.of("address", GATEWAY, "state", "running"), dns("names-a"));
        assertEquals(Map.of("address", "", "state", "none"), dns("bridge"));
    }

    @Test
    void containersOnOtherNetworksCannotResolveThem() {
        ctrnet.ok("run", "-d", "--name", "stranger", "--network", "names-b", "--", "sleep", "300");
        ctrnet.ok("run", "-d", "--name", "defaulted", "--", "sleep", "300");
        String webIp = ctrnet.ip("web");
        assertEquals(Optional.of(webIp), resolve("client", "web"), "the control: on web's network, web resolves");
        assertEquals(Optional.empty(), resolve("stranger", "web"), "another network's name server does not know web");
        assertEquals(Optional.empty(), resolve("stranger", "www"));
        assertEquals(Optional.empty(), resolve("defaulted", "web"), "the default bridge has no names");
        assertFalse(ctrnet.ok("exec", "defaulted", "--", "cat", "/etc/resolv.conf").contains(GATEWAY));
        // asked directly, names-a's server answers its own containers only: the host drops the rest
        assertEquals(webIp, dig("client", GATEWAY, "web").ok().out().trim());
        Shell.Result fromStranger = dig("stranger", GATEWAY, "web");
        assertEquals(DIG_NO_REPLY, fromStranger.exit(), "another network's container cannot reach it: " + fromStranger.out());
        assertEquals(DIG_NO_REPLY, dig("defaulted", GATEWAY, "web").exit(), "nor one on the default bridge");
        assertEquals("", dig("stranger", OTHER_GATEWAY, "web").ok().out().trim(), "its own server has no such name");
        ctrnet.ok("rm", "-f", "stranger", "defaulted");
    }

    @Test
    void outsideNamesResolveThroughTheHostsLoopbackResolver() {
        assertEquals(Optional.of(OUTSIDE_NAME_IP), resolve("web", OUTSIDE_NAME));
        assertEquals(Optional.empty(), resolve("web", "nothing.invalid"));
    }

    @Test
    void rmAndDisconnectTakeTheNameAwayAtOnce() {
        ctrnet.ok("run", "-d", "--name", "brief", "--network", "names-a", "--network-alias", "fleeting", "--", "sleep", "300");
        assertEquals(Optional.of(ctrnet.ip("brief")), resolve("client", "fleeting"), "a record is there when run -d returns");
        ctrnet.ok("rm", "-f", "brief");
        assertEquals(Optional.empty(), resolve("client", "brief"), "gone as soon as rm returns");
        assertEquals(Optional.empty(), resolve("client", "fleeting"));

        ctrnet.ok("run", "-d", "--name", "visitor", "--network", "names-b", "--", "sleep", "300");
        ctrnet.ok("network", "connect", "--alias", "guest", "names-a", "visitor");
        Optional<String> onA = resolve("client", "guest");
        assertTrue(onA.isPresent() && onA.get().startsWith("10.71.0."), "its address on names-a: " + onA);
        assertEquals(onA, resolve("client", "visitor"));
        ctrnet.ok("network", "disconnect", "names-a", "visitor");
        assertEquals(Optional.empty(), resolve("client", "visitor"), "gone as soon as disconnect returns");
        assertEquals(Optional.empty(), resolve("client", "guest"));
        ctrnet.ok("rm", "-f", "visitor");
    }

    @Test
    void aliasesOnANetworkWithoutNamesAreRefused() {
        ctrnet.run("run", "-d", "--name", "nowhere", "--network-alias", "x", "--", "sleep", "300").refused();
        assertNotEquals(0, ctrnet.run("inspect", "nowhere").exit(), "nothing left");
        ctrnet.run("run", "-d", "--name", "bad-alias", "--network", "names-a", "--network-alias", "a b", "--", "true")
                .refused();
    }

    @Test
    void aKilledNameServerIsRestartedByPruneAndNetworkRmLeavesNothing() throws IOException {
        ctrnet.ok("network", "create", "--subnet", "10.73.0.0/24", "names-gone");
        assertEquals(Map.of("address", "10.73.0.1", "state", "stopped"), dns("names-gone"), "no container yet");
        ctrnet.ok("run", "-d", "--name", "one", "--network", "names-gone", "--", "sleep", "300");
        ctrnet.ok("run", "-d", "--name", "two", "--network", "names-gone", "--", "sleep", "300");
        assertEquals(Optional.of(ctrnet.ip("two")), resolve("one", "two"));
        Path folder = ctrnet.root().resolve("run/dns/names-gone");
        String pid = Files.readString(folder.resolve("pid")).trim();
        Shell.run(List.of("kill", "-9", pid)).ok();
        assertTrue(Eventually.holds(() -> !Files.exists(Path.of("/proc", pid))), "the name server died");
        assertEquals(Optional.empty(), resolve("one", "two"), "no answer while it is dead");
        assertEquals("stopped", dns("names-gone").get("state"));

        assertTrue(ctrnet.ok("system", "prune").contains("restarted the name server of network names-gone"));
        assertEquals(Optional.of(ctrnet.ip("two")), resolve("one", "two"), "the restarted server has every record");
        assertEquals("running", dns("names-gone").get("state"));

        String id = (String) Json.object(ctrnet.ok("network", "inspect", "names-gone")).get("id");
        String newPid = Files.readString(folder.resolve("pid")).trim();
        ctrnet.ok("rm", "-f", "one", "two");
        ctrnet.ok("network", "rm", "names-gone");
        assertTrue(Eventually.holds(() -> !Files.exists(Path.of("/proc", newPid))), "no dnsmasq left");
        assertEquals("", Shell.run(List.of("pgrep", "-f", folder.toString())).out().trim(), "no dnsmasq of the network");
        assertFalse(Files.exists(folder), "no configuration or pid file");
        assertFalse(Files.exists(Path.of("/run/ctrnet-names", id)), "no records");
    }

    /** A container that answers HTTP on port 80 with "hello from NAME". */
    private void webServer(String name, String network, String alias) {
        ctrnet.ok("run", "-d", "--name", name, "--network", network, "--network-alias", alias, "--", "socat",
                "-t" + Probe.PATIENCE, "TCP-LISTEN:80,reuseaddr,fork", "SYSTEM:read -r request; echo HTTP/1.0 200 OK; echo; echo hello from " + name);
        ctrnet.awaitListening(name, 80);
    }

    private int ping(String container, String name) {
        return ctrnet.run("exec", container, "--", "ping", "-c1", "-w" + Probe.PATIENCE, name).exit();
    }

    private String curl(String container, String name) {
        return ctrnet.run("exec", container, "--", "curl", "-s", "--max-time", "5", "http://" + name + "/").out().trim();
    }

    /** The address {@code container}'s resolver (its resolv.conf, through glibc) gives {@code name}. */
    private Optional<String> resolve(String container, String name) {
        Shell.Result r = ctrnet.run("exec", container, "--", "getent", "ahostsv4", name);
        return r.exit() == 0 ? r.out().lines().findFirst().map(l -> l.split("\\s+")[0]) : Optional.empty();
    }

    /** What the name server at {@code server} answers {@code container} for {@code name}, as {@code dig +short}. */
    private Shell.Result dig(String container, String server, String name) {
        return ctrnet.run("exec", container, "--", "dig", "+short", "+time=2", "+tries=1", "@" + server, name);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> dns(String network) {
        return (Map<String, Object>) Json.object(ctrnet.ok("network", "inspect", network)).get("dns");
    }
}
