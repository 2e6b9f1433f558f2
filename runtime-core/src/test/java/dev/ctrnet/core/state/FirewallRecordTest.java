package dev.ctrnet.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.firewall.FirewallZone;
import dev.ctrnet.api.firewall.HostInterfaces;
import dev.ctrnet.api.firewall.PublishedPort;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.api.net.PortMapping;
import dev.ctrnet.core.firewall.AppliedFirewall;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code firewall.json} keeps the forwarding guard, and a record written before the guard existed still reads;
 * one container's ports are written to its own file, and what another process changed is read from the files.
 */
class FirewallRecordTest {
    private static final FirewallZone ZONE = new FirewallZone("backend", "fixbr0", Cidr.parse("10.88.0.0/24"),
            IpAddresses.parse("10.88.0.1"), true, false);

    @TempDir
    Path root;

    @AfterEach
    void forgetWhatThisJvmKept() {
        FirewallRecords.forgetKept();
    }

    @Test
    void aRecordWithoutTheGuardFieldReadsAsAppliedWithoutIt() throws IOException {
        Files.writeString(root.resolve("firewall.json"), "{\"backend\":\"nftables\",\"ruleSet\":\"ctrnet\","
                + "\"zones\":[{\"network\":\"bridge\",\"bridge\":\"ctrnet0\",\"subnet\":\"172.17.0.0/16\","
                + "\"gateway\":\"172.17.0.1\",\"masquerade\":true,\"internal\":false}],\"ports\":[]}\n");
        AppliedFirewall applied = new StateStore(root).firewall().orElseThrow();
        assertEquals(1, applied.plan().zones().size());
        assertFalse(applied.plan().forwardingGuard());
    }

    /** A bridge is still written as one, so an older ctrnet reads the file; other zones as names and a prefix. */
    @Test
    void routedZonesAreKeptWithTheirInterfaces() throws IOException {
        FirewallZone routed = new FirewallZone("p2p", new HostInterfaces(Set.of("veth7"), Optional.of("pt1a2b3c")),
                Cidr.parse("10.61.0.0/24"), IpAddresses.parse("10.61.0.1"), true, true, Optional.empty(),
                Optional.empty());
        FirewallZone none = new FirewallZone("cni", HostInterfaces.named(List.of()), Cidr.parse("10.62.0.0/24"),
                IpAddresses.parse("10.62.0.1"), true, false, Optional.empty(), Optional.empty());
        FirewallPlan plan = new FirewallPlan("ctrnet", List.of(ZONE, routed, none), List.of());
        new StateStore(root).save(new AppliedFirewall("nftables", plan));
        FirewallRecords.forgetKept();
        assertEquals(plan, new StateStore(root).firewall().orElseThrow().plan());
        assertTrue(Files.readString(root.resolve("firewall.json")).contains("\"bridge\":\"fixbr0\""));
    }

    @Test
    void theGuardIsKept() {
        StateStore store = new StateStore(root);
        store.save(new AppliedFirewall("iptables", new FirewallPlan("ctrnet", List.of(), List.of(), true)));
        assertTrue(store.firewall().orElseThrow().plan().forwardingGuard());
    }

    @Test
    void oneContainersChangeWritesTheHeaderAndItsOwnFileOnly() throws IOException {
        StateStore store = new StateStore(root);
        store.save(applied(port("a", "10.88.0.2", "8080:80"), port("b", "10.88.0.3", "8081:80")));
        Object aBefore = fileKey("firewall/a.json");
        Object headerBefore = fileKey("firewall.json");

        store.save(applied(port("a", "10.88.0.2", "8080:80"), port("c", "10.88.0.4", "8082:80")));

        assertEquals(aBefore, fileKey("firewall/a.json"), "a's ports did not change: its file is the same");
        assertFalse(Files.exists(root.resolve("firewall/b.json")));
        assertTrue(Files.exists(root.resolve("firewall/c.json")));
        assertNotEquals(headerBefore, fileKey("firewall.json"));
        assertFalse(StateStore.read(root.resolve("firewall.json")).containsKey("ports"));
    }

    @Test
    void whatIsReadFromTheFilesIsWhatWasWritten() {
        AppliedFirewall written = applied(port("a", "10.88.0.2", "8080:80"), port("a", "10.88.0.2", "5353:53/udp"),
                port("b", "10.88.0.3", "20000-29999:20000-29999"));
        new StateStore(root).save(written);
        FirewallRecords.forgetKept(); // as a new JVM would read them
        assertEquals(written, new StateStore(root).firewall().orElseThrow());
    }

    @Test
    void aChangeByAnotherProcessIsReadFromTheFiles() throws IOException {
        StateStore store = new StateStore(root);
        store.save(applied(port("a", "10.88.0.2", "8080:80"), port("b", "10.88.0.3", "8081:80")));
        assertEquals(2, store.firewall().orElseThrow().plan().ports().size());
        // another process removes b: its file goes, and the header gets a generation of its own
        Files.delete(root.resolve("firewall/b.json"));
        Map<String, Object> header = new LinkedHashMap<>(StateStore.read(root.resolve("firewall.json")));
        header.put("generation", "another");
        Files.writeString(root.resolve("firewall.json"), com.fasterxml.jackson.jr.ob.JSON.std.asString(header));
        assertEquals(List.of("a"), store.firewall().orElseThrow().plan().ports().stream().map(PublishedPort::container).toList());
    }

    @Test
    void aReadWithoutTheLockIsNotKeptForLater() throws IOException {
        StateStore store = new StateStore(root);
        store.save(applied(port("a", "10.88.0.2", "8080:80")));
        // another process half-way through its write: a new header, and b's file not written yet
        Map<String, Object> header = new LinkedHashMap<>(StateStore.read(root.resolve("firewall.json")));
        header.put("generation", "another");
        Files.writeString(root.resolve("firewall.json"), com.fasterxml.jackson.jr.ob.JSON.std.asString(header));
        assertEquals(1, store.firewall().orElseThrow().plan().ports().size());
        // its write done: b's file is there, under the same header
        Files.copy(root.resolve("firewall/a.json"), root.resolve("firewall/b.json"));
        Files.writeString(root.resolve("firewall/b.json"), Files.readString(root.resolve("firewall/b.json"))
                .replace("\"a\"", "\"b\"").replace("8080", "8081"));
        assertEquals(List.of("a", "b"), store.firewall().orElseThrow().plan().ports().stream()
                .map(PublishedPort::container).toList());
    }

    @Test
    void filesLeftWithoutAHeaderAreNotRead() throws IOException {
        StateStore store = new StateStore(root);
        store.save(applied(port("a", "10.88.0.2", "8080:80")));
        Files.delete(root.resolve("firewall.json"));
        store.save(applied(port("b", "10.88.0.3", "8081:80")));
        FirewallRecords.forgetKept();
        assertEquals(List.of("b"), store.firewall().orElseThrow().plan().ports().stream().map(PublishedPort::container).toList());
    }

    private Object fileKey(String file) throws IOException {
        return Files.readAttributes(root.resolve(file), BasicFileAttributes.class).fileKey();
    }

    private static AppliedFirewall applied(PublishedPort... ports) {
        return new AppliedFirewall("nftables", new FirewallPlan("ctrnet", List.of(ZONE), List.of(ports), false));
    }

    private static PublishedPort port(String container, String ip, String mapping) {
        return new PublishedPort("backend", container, IpAddresses.parse(ip), PortMapping.parse(mapping));
    }
}
