package dev.ctrnet.core.undo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.kernel.NetworkNamespace;
import dev.ctrnet.api.kernel.Route;
import dev.ctrnet.api.kernel.SysctlKey;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.api.net.MacAddress;
import dev.ctrnet.api.net.Protocol;
import dev.ctrnet.core.kernel.BridgePorts;
import dev.ctrnet.core.names.NameServer;
import dev.ctrnet.core.proxy.LoopbackProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The crash journal as a later process reads it: what was written before each change, and whose it is. */
class JournalTest {
    private static final NetworkNamespace SANDBOX = new NetworkNamespace(Path.of("/run/ctrnet/netns/abc"));
    private static final NetworkNamespace HOST = NetworkNamespace.host();
    /** One of every kind of change. */
    private static final List<KernelChange> EVERY_KIND = List.of(
            new KernelChange.UtsCreated(Path.of("/run/ctrnet/uts/abc")),
            new KernelChange.NamespaceCreated(SANDBOX),
            new KernelChange.LinkCreated(HOST, "ve-abc-0"),
            new KernelChange.AddressAdded(SANDBOX, "eth0", Cidr.parse("10.0.0.2/24")),
            new KernelChange.RouteAdded(SANDBOX, Route.defaultVia(IpAddresses.parse("10.0.0.1"))),
            new KernelChange.RouteAdded(HOST, new Route(Cidr.parse("fd00::/64"), Optional.empty(), Optional.of("br0"))),
            new KernelChange.RouteAdded(HOST, new Route(Cidr.parse("0.0.0.0/0"), Optional.of(IpAddresses.parse("10.0.0.1")),
                    Optional.of("pt0")).withOnlink().withMetric(7).inTable(100)),
            new KernelChange.RouteReplaced(HOST, new Route(Cidr.parse("10.1.0.0/16"), Optional.empty(), Optional.of("br0")),
                    Optional.of(new Route(Cidr.parse("10.1.0.0/16"), Optional.empty(), Optional.of("br1")))),
            new KernelChange.RouteReplaced(SANDBOX, Route.defaultVia(IpAddresses.parse("10.0.0.1")), Optional.empty()),
            new KernelChange.LinkChanged(HOST, "br0", false, 1500, Optional.of(MacAddress.parse("02:42:0a:00:00:01"))),
            new KernelChange.LinkChanged(HOST, "br1", true, 9000, Optional.empty()),
            new KernelChange.LinkRenamed(SANDBOX, "tmp0", "eth0"),
            new KernelChange.LinkMoved(HOST, SANDBOX, "eth1"),
            new KernelChange.SysctlWritten(HOST, SysctlKey.ofInterface("ipv4", "up0.5", "route_localnet"), "0"),
            new KernelChange.MasterSet(HOST, "ve-abc-0", Optional.empty()),
            new KernelChange.MasterSet(HOST, "ve-abc-1", Optional.of("old0")),
            new KernelChange.BridgePortFlagSet(HOST, "ve-abc-0", BridgePorts.Flag.HAIRPIN, false),
            new KernelChange.BridgePortFlagSet(HOST, "ve-abc-0", BridgePorts.Flag.ISOLATED, true),
            new KernelChange.Ipv6LinkLocalSet(SANDBOX, "eth0", "2"),
            new KernelChange.FirewallUpdated(),
            new KernelChange.NameServerStarted(server()),
            new KernelChange.NameRecorded(server(), "abc"),
            new KernelChange.LoopbackProxyStarted(new LoopbackProxy(Path.of("/run/ctrnet/proxies/abc"), Protocol.UDP,
                    8080, IpAddresses.parse("fd00::2"), 80)));
    private static final Operation RUN = Operation.of(Operation.Kind.RUN, "container", "web", "id", "abc",
            "network", "front");

    @TempDir
    Path dir;

    @Test
    void aCrashedOperationsChangesAreReadBackInTheOrderTheyWereMade() throws IOException {
        Rollback rollback = journals().rollBack(RUN);
        EVERY_KIND.forEach(rollback::record);
        Journal.Written written = Journal.read(orphan());
        assertEquals(Optional.of(RUN), written.operation());
        assertEquals(EVERY_KIND, written.changes());
    }

    @Test
    void aChangeTheKernelRefusedAsAnothersIsNotWalkedBack() throws IOException {
        Rollback rollback = journals().rollBack(RUN);
        rollback.record(EVERY_KIND.get(0));
        rollback.record(EVERY_KIND.get(2));
        rollback.forgetLast();
        rollback.record(EVERY_KIND.get(3));
        assertEquals(List.of(EVERY_KIND.get(0), EVERY_KIND.get(3)), Journal.read(orphan()).changes());
    }

    @Test
    void aLineTheCrashCutShortIsNotRead() throws IOException {
        Rollback rollback = journals().rollBack(RUN);
        rollback.record(EVERY_KIND.get(0));
        Path journal = orphan();
        Files.writeString(journal, "{\"change\":\"link-crea", java.nio.file.StandardOpenOption.APPEND);
        assertEquals(List.of(EVERY_KIND.get(0)), Journal.read(journal).changes());
    }

    @Test
    void anOperationThatIsFinishedAfterACrashIsJournaledBeforeItsFirstChange() throws IOException {
        Operation rm = Operation.of(Operation.Kind.RM, "container", "web", "id", "abc");
        journals().finishing(rm);
        Journal.Written written = Journal.read(orphan());
        assertEquals(Optional.of(rm), written.operation());
        assertEquals(List.of(), written.changes());
    }

    @Test
    void aJournalIsWrittenBeforeTheOperationChangesAnythingAndGoesWithIt() throws IOException {
        Rollback rollback = journals().rollBack(RUN);
        assertEquals(Optional.of(RUN), Journal.read(only()).operation(), "written before the first change");
        rollback.record(EVERY_KIND.get(0));
        assertTrue(journals().orphaned().isEmpty(), "its owner, this process, is alive");
        rollback.commit();
        assertEquals(0, count(), "committed: the journal is gone");
        rollback.record(EVERY_KIND.get(1));
        assertEquals(0, count(), "nothing is written once the operation is over");
    }

    @Test
    void onlyJournalsOfDeadOwnersAreOrphaned() throws IOException {
        Files.writeString(dir.resolve("not-a-journal"), "");
        Files.writeString(dir.resolve(ProcessHandle.current().pid() + ".1.1"), ""); // our pid, another start time
        assertEquals(List.of(dir.resolve(ProcessHandle.current().pid() + ".1.1")), journals().orphaned());
        assertFalse(Journal.read(dir.resolve(ProcessHandle.current().pid() + ".1.1")).operation().isPresent(),
                "an empty journal: the crash came before its first line");
    }

    /** The journals in {@link #dir}; nothing here is walked back, so they need no kernel. */
    private Journals journals() {
        return Journals.in(dir, null, null);
    }

    /** The one journal in {@link #dir}, renamed as if its owner had died. */
    private Path orphan() throws IOException {
        Path dead = dir.resolve("999999999.1.1");
        Files.move(only(), dead);
        assertEquals(List.of(dead), journals().orphaned());
        return dead;
    }

    private Path only() throws IOException {
        try (var files = Files.list(dir)) {
            List<Path> all = files.toList();
            assertEquals(1, all.size(), "one journal: " + all);
            return all.get(0);
        }
    }

    private long count() throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var files = Files.list(dir)) {
            return files.count();
        }
    }

    private static NameServer server() {
        return new NameServer("front", IpAddresses.parse("10.0.0.1"), Path.of("/run/ctrnet/dns/front"),
                Path.of("/run/ctrnet-names/abc"), true);
    }
}
