package dev.ctrnet.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.Network;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.api.net.MacAddress;
import dev.ctrnet.api.net.PortMapping;
import dev.ctrnet.core.CtrnetException;
import dev.ctrnet.core.container.ContainerRecord;
import dev.ctrnet.core.container.NetworkAttachment;
import dev.ctrnet.core.container.ProcessEndpoint;
import dev.ctrnet.core.firewall.AppliedFirewall;
import dev.ctrnet.core.ipam.Ipam;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records written by an older ctrnet stay readable; records written now carry their format and root-only modes. */
class StateFormatTest {
    /** Records as the first state format wrote them, without a version: see the README beside them. */
    private static final Path FORMAT_1 = Path.of("src/test/resources/state-format-1");
    private static final String WEB_ID = "7083c0d130f460a490478c604942261601643de3330c91a8da3cc0239c459046";

    @TempDir
    Path root;
    private StateStore store;

    @BeforeEach
    void copyFixtures() throws IOException {
        try (Stream<Path> files = Files.walk(FORMAT_1)) {
            for (Path from : files.toList()) {
                Path to = root.resolve(FORMAT_1.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to);
                }
            }
        }
        store = new StateStore(root);
    }

    /** The host link an attachment declares for its network's firewall zone is kept with the container. */
    @Test
    void anAttachmentsHostInterfaceIsKept() {
        ContainerRecord web = store.container("web").orElseThrow().withNetworks(networks -> networks.stream()
                .map(a -> new NetworkAttachment(a.network(), a.interfaceName(),
                        a.attachment().withHostInterface("veth7083c0d"), a.aliases()))
                .toList());
        store.save(web);
        assertEquals(Optional.of("veth7083c0d"),
                new StateStore(root).container("web").orElseThrow().networks().get(0).attachment().hostInterface());
    }

    @Test
    void recordsOfTheFirstFormatAreRead() {
        assertEquals(List.of(new Network("backend", "eaee06ef15154aef6429eead54cead511f6d67ffc03198ac4c04376254a2406b",
                "bridge", Optional.of(Cidr.parse("10.88.0.0/24")), Optional.of(IpAddresses.parse("10.88.0.1")), false,
                Map.of("bridge", "fixbr0", "masquerade", "true", "icc", "true"))), store.networks());

        ContainerRecord web = store.container("web").orElseThrow();
        assertEquals(WEB_ID, web.id());
        assertEquals(List.of("sleep", "300"), web.command());
        assertEquals("web1", web.hostname());
        assertEquals(Map.of("GREETING", "hello"), web.env());
        assertEquals(List.of(PortMapping.parse("8080:80"), PortMapping.parse("127.0.0.1:5353:53/udp")), web.ports());
        assertEquals(Optional.of(Path.of("/run/fixture-root/run/netns/" + WEB_ID)), web.netns());
        NetworkAttachment eth0 = web.networks().get(0);
        assertEquals("backend", eth0.network());
        assertEquals(Optional.of(Cidr.parse("10.88.0.2/24")), eth0.attachment().address());
        assertEquals(Optional.of(MacAddress.parse("02:42:0a:58:00:02")), eth0.attachment().mac());
        assertEquals(Map.of("hostInterface", "ve-7083c0d1-0"), eth0.attachment().driverData());
        assertEquals(new ContainerRecord.ProcessId(8879, 64375), web.creator());
        assertTrue(web.detached());

        ProcessEndpoint endpoint = store.endpoints().get(0);
        assertEquals(8931, endpoint.pid());
        assertEquals(Optional.of(Cidr.parse("10.88.0.3/24")), endpoint.networks().get(0).attachment().address());

        AppliedFirewall firewall = store.firewall().orElseThrow();
        assertEquals("nftables", firewall.backend());
        assertEquals("ctrnet-abe15b", firewall.plan().name());
        assertEquals("fixbr0", firewall.plan().zones().get(0).bridge());
        assertEquals(List.of(PortMapping.parse("8080:80"), PortMapping.parse("127.0.0.1:5353:53/udp")),
                firewall.plan().ports().stream().map(p -> p.mapping()).toList());

        Ipam ipam = new Ipam(root);
        assertEquals(Map.of(IpAddresses.parse("10.88.0.2"), WEB_ID), ipam.leases("backend"));
        // the next address comes after the last one handed out, read from the old "last" record
        assertEquals(IpAddresses.parse("10.88.0.4"), ipam.allocate("backend", Cidr.parse("10.88.0.0/24"),
                IpAddresses.parse("10.88.0.1"), "someone", Optional.empty()));
    }

    @Test
    void aRecordWithoutTheFieldsAddedSinceIsReadWithDefaults() throws IOException {
        Path config = root.resolve("containers/web/config.json");
        Map<String, Object> old = new LinkedHashMap<>(StateStore.read(config));
        List.of("creatorPid", "creatorStartTime", "autoRemove", "detached", "env").forEach(old::remove);
        Files.writeString(config, com.fasterxml.jackson.jr.ob.JSON.std.asString(old));
        ContainerRecord web = store.container("web").orElseThrow();
        assertEquals(new ContainerRecord.ProcessId(0, 0), web.creator());
        assertEquals(Map.of(), web.env());
        assertFalse(web.autoRemove());
        assertFalse(web.detached());
    }

    @Test
    void aRecordWrittenNowCarriesItsFormatAndReadsBackTheSame() throws IOException {
        ContainerRecord web = store.container("web").orElseThrow();
        store.save(web);
        assertEquals(StateStore.FORMAT, StateStore.read(root.resolve("containers/web/config.json")).get("version"));
        assertEquals(web, store.container("web").orElseThrow());
    }

    @Test
    void theFirstFormatsFirewallMovesItsPortsIntoAFilePerContainerWhenWritten() {
        AppliedFirewall firewall = store.firewall().orElseThrow();
        store.save(firewall);
        assertFalse(StateStore.read(root.resolve("firewall.json")).containsKey("ports"));
        assertTrue(Files.exists(root.resolve("firewall/web.json")));
        FirewallRecords.forgetKept(); // as a new JVM would read it
        assertEquals(firewall, store.firewall().orElseThrow());
    }

    @Test
    void aRecordOfANewerFormatIsRefusedWithOneSentence() throws IOException {
        Path network = root.resolve("networks/backend.json");
        Files.writeString(network, Files.readString(network).replaceFirst("\\{", "{ \"version\" : 99,"));
        CtrnetException e = assertThrows(CtrnetException.class, () -> store.network("backend"));
        assertEquals(network + " was written by a newer ctrnet (state format 99; this one reads up to " + StateStore.FORMAT + "): "
                + "use that ctrnet or a newer one with this state root", e.getMessage());
    }

    @Test
    void whatIsWrittenIsForRootAlone() throws IOException {
        Path fresh = root.resolve("fresh");
        StateStore created = new StateStore(fresh);
        try (StateLock lock = created.lock()) {
            store.networks().forEach(created::save);
            created.save(store.container("web").orElseThrow());
            created.save(store.endpoints().get(0));
            created.save(store.firewall().orElseThrow());
            new Ipam(fresh).allocate("backend", Cidr.parse("10.88.0.0/24"), IpAddresses.parse("10.88.0.1"), WEB_ID,
                    Optional.empty());
        }
        try (Stream<Path> all = Files.walk(fresh)) {
            for (Path p : all.toList()) {
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                assertEquals(Files.isDirectory(p) ? "rwx------" : "rw-------", mode, p.toString());
            }
        }
    }
}
