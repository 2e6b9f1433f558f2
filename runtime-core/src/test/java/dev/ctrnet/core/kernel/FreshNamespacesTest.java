package dev.ctrnet.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.kernel.LinkKind;
import dev.ctrnet.api.kernel.LinkRequest;
import dev.ctrnet.api.kernel.NetworkNamespace;
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
 * Privileged: network namespaces made ahead are new ones, with their loopback up and no other link, each taken
 * once, held by this process's descriptors only until taken, and made only once a process has asked twice.
 * Checked with {@code ip}, {@code nsenter} and {@code /proc}.
 */
class FreshNamespacesTest {
    private static final Path DIR = Path.of("/run/ctrnet-test/fresh");
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
    void aTakenNamespaceIsANewOneWithItsLoopbackUpAndNoOtherLinkAndIsNeverTakenTwice() {
        // as a service or an embedding program does: after its first asks, namespaces are made ahead
        for (int i = 0; i < FreshNamespaces.ASKS_BEFORE_MAKING; i++) {
            namespaces.delete(namespaces.create(DIR.resolve("first-" + i)));
        }
        awaitReady(FreshNamespaces.ofThisProcess(), FreshNamespaces.READY);
        Set<String> madeAhead = heldByThisProcess();
        assertTrue(madeAhead.size() >= FreshNamespaces.READY, madeAhead.toString());

        NetworkNamespace a = namespaces.create(DIR.resolve("a"));
        NetworkNamespace b = namespaces.create(DIR.resolve("b"));
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
    void noneIsMadeBeforeTheSecondAskAndATakenOneIsReplaced() {
        FreshNamespaces fresh = new FreshNamespaces(2, 2);
        long makers = makerThreads();
        assertTrue(fresh.take().isEmpty());
        assertEquals(makers, makerThreads(), "a process that asked once (a one-shot command) makes none ahead");
        assertTrue(fresh.take().isEmpty(), "none is ready at the second ask");
        assertEquals(makers + 1, makerThreads(), "the second ask starts the making");
        awaitReady(fresh, 2);
        try (FreshNamespaces.Fresh taken = fresh.take().orElseThrow()) {
            assertTrue(Tools.readlink("/proc/self/fd/" + taken.file().fd()).startsWith("net:["));
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
