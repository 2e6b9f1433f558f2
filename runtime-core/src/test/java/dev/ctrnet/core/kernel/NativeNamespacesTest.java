package dev.ctrnet.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.api.kernel.LinkKind;
import dev.ctrnet.api.kernel.LinkRequest;
import dev.ctrnet.api.kernel.NetworkNamespace;
import dev.ctrnet.api.kernel.SysctlKey;
import dev.ctrnet.api.testing.Privileged;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Privileged: namespaces made, entered and removed, checked with nsenter and /proc; and those made ahead
 * ({@link FreshNamespaces}): new ones, with their loopback up and no other link, each taken once, held by this
 * process's descriptors only until taken, and made only once a process has asked twice.
 */
@Privileged
class NativeNamespacesTest {
    private static final Path DIR = Path.of("/run/ctrnet-test/ns");
    private static final String MAKER = "ctrnet-fresh-netns";

    private NativeNamespaces namespaces;

    @BeforeEach
    void open() throws IOException {
        Files.createDirectories(DIR);
        namespaces = new NativeNamespaces();
    }

    @AfterEach
    void close() {
        namespaces.close();
    }

    @Test
    void runInEntersTheNamespaceAndLeavesTheCallerAtHome() {
        Path file = DIR.resolve("run");
        NetworkNamespace ns = namespaces.create(file);
        String before = Tools.readlink("/proc/thread-self/ns/net");
        String inside = namespaces.runIn(ns, () -> Tools.readlink("/proc/thread-self/ns/net"));
        assertEquals(before, Tools.readlink("/proc/thread-self/ns/net"));
        assertNotEquals(before, inside);
        String viaNsenter = Tools.run(List.of("nsenter", "--net=" + file, "readlink", "/proc/self/ns/net")).out().trim();
        assertEquals(viaNsenter, inside);

        IOException thrown = new IOException("the work's own failure");
        assertSame(thrown, assertThrows(IOException.class, () -> namespaces.runIn(ns, () -> {
            throw thrown;
        })));
        assertEquals(before, Tools.readlink("/proc/thread-self/ns/net"));

        assertEquals(ns, namespaces.open(file));
        namespaces.delete(ns);
        assertFalse(Files.exists(file));
        namespaces.delete(ns);
    }

    @Test
    void oneNetlinkPerNamespaceFileWhicheverRecordNamesIt() {
        Path file = DIR.resolve("same");
        NetworkNamespace ns = namespaces.create(file);
        assertSame(namespaces.netlink(ns), namespaces.netlink(new NetworkNamespace(file)));
        assertSame(namespaces.netlink(NetworkNamespace.host()),
                namespaces.netlink(new NetworkNamespace(Path.of("/proc/self/ns/net"))));
        assertThrows(IllegalArgumentException.class,
                () -> namespaces.delete(new NetworkNamespace(Path.of("/proc/self/ns/net"))));
        namespaces.delete(new NetworkNamespace(file));
        assertFalse(Files.exists(file));
    }

    @Test
    void createRefusesAnExistingPath() {
        Path file = DIR.resolve("twice");
        NetworkNamespace ns = namespaces.create(file);
        KernelException e = assertThrows(KernelException.class, () -> namespaces.create(file));
        assertEquals(KernelException.EEXIST, e.errno());
        assertEquals("a namespace already exists at " + file, e.getMessage());
        namespaces.delete(ns);
    }

    @Test
    void openRefusesWhatIsNotANetworkNamespace() throws IOException {
        Path missing = DIR.resolve("missing");
        KernelException none = assertThrows(KernelException.class, () -> namespaces.open(missing));
        assertEquals(KernelException.ENOENT, none.errno());
        assertEquals("no network namespace at " + missing, none.getMessage());

        Path regular = Files.writeString(DIR.resolve("regular"), "x");
        KernelException notNs = assertThrows(KernelException.class, () -> namespaces.open(regular));
        assertEquals(KernelException.ENOENT, notNs.errno());
        assertEquals(regular + " is not a network namespace", notNs.getMessage());

        Path uts = Path.of("/proc/self/ns/uts");
        assertEquals(uts + " is not a network namespace",
                assertThrows(KernelException.class, () -> namespaces.open(uts)).getMessage());
    }

    @Test
    void utsNamespacesKeepTheirHostNamesAndTheThreadThatMakesThemGoesHome() throws IOException {
        String hostname = Tools.run(List.of("hostname")).out().trim();
        Path first = DIR.resolve("uts");
        Path second = DIR.resolve("uts2");
        KernelThread<Path> making = namespaces.startUts(second, "box2");
        namespaces.createUts(first, "box1");
        assertEquals(second, making.join());
        assertEquals("box1", Tools.run(List.of("nsenter", "--uts=" + first, "hostname")).out().trim());
        assertEquals("box2", Tools.run(List.of("nsenter", "--uts=" + second, "hostname")).out().trim());
        assertEquals(hostname, Tools.run(List.of("hostname")).out().trim(), "this process's own is unchanged");
        // the kept thread that made them is back in this process's namespace: it keeps neither alive
        String home = Tools.readlink("/proc/self/ns/uts");
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    assertEquals(home, Files.readSymbolicLink(task.resolve("ns/uts")).toString(), "thread " + task.getFileName());
                } catch (java.nio.file.NoSuchFileException ended) {
                    // a thread that has ended meanwhile is in no namespace
                }
            }
        }
        namespaces.unmountAndRemove(first);
        namespaces.unmountAndRemove(second);
        assertFalse(Files.exists(first));
        assertFalse(Files.exists(second));
    }

    @Test
    void sysctlsArePerNamespace() {
        Path file = DIR.resolve("sysctl");
        NetworkNamespace ns = namespaces.create(file);
        ProcSysctl sysctl = new ProcSysctl(namespaces);
        // the sandbox's host may forward already: the namespace goes through both values, one of them
        // unlike the host's, and the host keeps its own
        String hostValue = sysctl.read(NetworkNamespace.host(), "net.ipv4.ip_forward");
        for (String value : List.of("1", "0")) {
            sysctl.write(ns, "net.ipv4.ip_forward", value);
            assertEquals(value, sysctl.read(ns, "net.ipv4.ip_forward"));
            assertEquals(value, Tools.run(List.of("nsenter", "--net=" + file, "cat", "/proc/sys/net/ipv4/ip_forward"))
                    .out().trim());
            assertEquals(hostValue, sysctl.read(NetworkNamespace.host(), "net.ipv4.ip_forward"));
        }

        KernelException unknown = assertThrows(KernelException.class,
                () -> sysctl.read(NetworkNamespace.host(), "net.ipv4.no_such_knob"));
        assertEquals(KernelException.ENOENT, unknown.errno());
        assertEquals("no sysctl named net.ipv4.no_such_knob", unknown.getMessage());
        assertTrue(assertThrows(KernelException.class, () -> sysctl.read(ns, "net/../../etc"))
                .getMessage().startsWith("no sysctl named"));
        namespaces.delete(ns);
    }

    @Test
    void anInterfaceWhoseNameHoldsADotHasItsOwnSysctls() {
        Path file = DIR.resolve("dotted");
        NetworkNamespace ns = namespaces.create(file);
        namespaces.netlink(ns).createLink(LinkRequest.of("up0.5", new LinkKind.Bridge()));
        ProcSysctl sysctl = new ProcSysctl(namespaces);
        SysctlKey key = SysctlKey.ofInterface("ipv4", "up0.5", "route_localnet");
        sysctl.write(ns, key, "1");
        assertEquals("1", sysctl.read(ns, key));
        assertEquals("1", Tools.run(List.of("nsenter", "--net=" + file, "cat", "/proc/sys/net/ipv4/conf/up0.5/route_localnet"))
                .out().trim());
        assertEquals("net.ipv4.conf.up0.5.route_localnet", key.toString());
        namespaces.delete(ns);
    }

    @Test
    void aSysctlKeyNeverLeavesProcSys() {
        assertEquals(List.of("net", "ipv4", "ip_forward"), SysctlKey.parse("net.ipv4.ip_forward").segments());
        for (String bad : List.of("net/../../etc", "net..ipv4", "", "net.ipv4.", "a b")) {
            assertThrows(IllegalArgumentException.class, () -> SysctlKey.parse(bad), bad);
        }
        for (String badInterface : List.of("..", ".", "a/b", "")) {
            assertThrows(IllegalArgumentException.class, () -> SysctlKey.ofInterface("ipv4", badInterface, "forwarding"),
                    badInterface);
        }
    }

    @Test
    void aTakenNamespaceIsANewOneWithItsLoopbackUpAndNoOtherLinkAndIsNeverTakenTwice() {
        // as a service or an embedding program does: after its first asks, namespaces are made ahead
        for (int i = 0; i < FreshNamespaces.ASKS_BEFORE_MAKING; i++) {
            namespaces.delete(namespaces.create(DIR.resolve("first-" + i)));
        }
        namespaces.linksMade(); // as a container's creation says once its links are made
        awaitReady(FreshNamespaces.ofThisProcess(), FreshNamespaces.READY);
        Set<String> madeAhead = heldByThisProcess();
        assertTrue(madeAhead.size() >= FreshNamespaces.READY, madeAhead.toString());

        NetworkNamespace a = namespaces.create(DIR.resolve("fresh-a"));
        NetworkNamespace b = namespaces.create(DIR.resolve("fresh-b"));
        String host = Tools.readlink("/proc/self/ns/net");
        assertNotEquals(identity(a), identity(b), "two containers never share one");
        for (NetworkNamespace taken : List.of(a, b)) {
            assertNotEquals(host, identity(taken));
            assertTrue(madeAhead.contains(identity(taken)), "it was made ahead: " + identity(taken) + " " + madeAhead);
            // held by its mount alone from now on: removing the mount ends it
            assertFalse(heldByThisProcess().contains(identity(taken)), "the descriptor was closed");
            List<Map<String, Object>> links = Tools.ipJson(Optional.of(taken.path()), "link");
            assertEquals(List.of("lo"), links.stream().map(l -> l.get("ifname")).toList());
            assertTrue(((List<?>) links.get(0).get("flags")).contains("UP"), links.toString());
            // and it works as one made on the spot does: links are made through its netlink
            namespaces.netlink(taken).createLink(LinkRequest.of("probe0", new LinkKind.Bridge()));
            assertEquals(List.of("lo", "probe0"),
                    Tools.ipJson(Optional.of(taken.path()), "link").stream().map(l -> l.get("ifname")).toList());
        }
        namespaces.delete(a);
        namespaces.delete(b);
        assertFalse(Files.exists(a.path()));
        assertFalse(Files.exists(b.path()));
    }

    @Test
    void noneIsMadeBeforeTheSecondAskAndATakenOneIsReplacedOnRefill() {
        FreshNamespaces fresh = new FreshNamespaces(2, 2);
        long makers = makerThreads();
        assertTrue(fresh.take().isEmpty());
        assertEquals(makers, makerThreads(), "a process that asked once (a one-shot command) makes none ahead");
        assertTrue(fresh.take().isEmpty(), "none is ready at the second ask");
        assertEquals(makers + 1, makerThreads(), "the second ask starts the making");
        awaitReady(fresh, 2);
        try (FreshNamespaces.Fresh taken = fresh.take().orElseThrow()) {
            assertTrue(Tools.readlink("/proc/self/fd/" + taken.file().fd()).startsWith("net:["));
            fresh.refill();
            awaitReady(fresh, 2);
        }
    }

    /** Waits, for up to 10 s, until {@code count} namespaces are ready. */
    private static void awaitReady(FreshNamespaces fresh, int count) {
        for (int i = 0; i < 500 && fresh.readyCount() < count; i++) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        assertEquals(count, fresh.readyCount(), "namespaces made ahead");
    }

    private static long makerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(MAKER)).count();
    }

    /** The network namespaces this process holds by a descriptor ({@code net:[inode]}). */
    private static Set<String> heldByThisProcess() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    return ""; // the descriptor of the listing itself, closed meanwhile
                }
            }).filter(link -> link.startsWith("net:[")).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The namespace {@code namespace}'s file keeps, as {@code /proc} names it. */
    private static String identity(NetworkNamespace namespace) {
        try {
            return "net:[" + Files.getAttribute(namespace.path(), "unix:ino") + "]";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
