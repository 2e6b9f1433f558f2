package dev.ctrnet.core.ipam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.core.CtrnetException;
import dev.ctrnet.core.state.StateStore;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Leases never collide, never hand out reserved addresses, and survive restarts. */
class IpamProperties {
    private static final Cidr SUBNET = Cidr.parse("10.99.0.0/28"); // 16 addresses, 13 leasable
    private static final InetAddress GATEWAY = IpAddresses.parse("10.99.0.1");

    /** One step of a random history: allocate, release the n-th held lease, or restart (a new process). */
    record Step(int kind, int pick, boolean requestSpecific) {}

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Step> step = net.jqwik.api.Combinators.combine(
                Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 15), Arbitraries.of(true, false))
                .as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 200)
    void noDuplicateAndNoReservedAddressAcrossRestarts(@ForAll("histories") List<Step> history) throws IOException {
        Path root = Files.createTempDirectory("ipam");
        try {
            Ipam ipam = new Ipam(root);
            Map<InetAddress, String> held = new HashMap<>();
            int owners = 0;
            for (Step s : history) {
                switch (s.kind()) {
                    case 0 -> {
                        String owner = "c" + owners++;
                        Optional<InetAddress> wanted = s.requestSpecific()
                                ? Optional.of(SUBNET.addressAt(java.math.BigInteger.valueOf(s.pick())))
                                : Optional.empty();
                        try {
                            InetAddress ip = ipam.allocate("net", SUBNET, GATEWAY, owner, wanted);
                            assertFalse(held.containsKey(ip), "handed out twice: " + ip);
                            assertTrue(SUBNET.contains(ip));
                            assertFalse(ip.equals(GATEWAY) || ip.equals(SUBNET.networkAddress())
                                    || ip.equals(SUBNET.lastAddress()), "reserved address handed out: " + ip);
                            wanted.ifPresent(w -> assertEquals(w, ip));
                            held.put(ip, owner);
                        } catch (CtrnetException e) {
                            boolean explained = wanted.isPresent() || held.size() == 13;
                            assertTrue(explained, "refused while addresses were free: " + e.getMessage());
                        }
                    }
                    case 1 -> {
                        if (!held.isEmpty()) {
                            InetAddress ip = new ArrayList<>(held.keySet()).get(s.pick() % held.size());
                            ipam.release("net", ip, held.remove(ip));
                        }
                    }
                    default -> ipam = new Ipam(root);
                }
                assertEquals(held, ipam.leases("net"), "the leases on disk are what was handed out");
            }
        } finally {
            StateStore.deleteTree(root);
        }
    }

    @Test
    void fullSubnetIsAClearError() throws IOException {
        Path root = Files.createTempDirectory("ipam");
        try {
            Ipam ipam = new Ipam(root);
            for (int i = 0; i < 13; i++) {
                ipam.allocate("net", SUBNET, GATEWAY, "c" + i, Optional.empty());
            }
            CtrnetException e = assertThrows(CtrnetException.class,
                    () -> ipam.allocate("net", SUBNET, GATEWAY, "late", Optional.empty()));
            assertEquals("network net has no free address left in 10.99.0.0/28; remove containers or create a network"
                    + " with a larger subnet", e.getMessage());
        } finally {
            StateStore.deleteTree(root);
        }
    }

    @Test
    void releasingByAnotherOwnerKeepsTheLease() throws IOException {
        Path root = Files.createTempDirectory("ipam");
        try {
            Ipam ipam = new Ipam(root);
            InetAddress ip = ipam.allocate("net", SUBNET, GATEWAY, "a", Optional.empty());
            ipam.release("net", ip, "b");
            assertEquals(Map.of(ip, "a"), ipam.leases("net"));
        } finally {
            StateStore.deleteTree(root);
        }
    }

    @Test
    void concurrentAllocationsNeverCollide() throws Exception {
        Path root = Files.createTempDirectory("ipam");
        Cidr big = Cidr.parse("10.98.0.0/24");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Map<InetAddress, String> seen = new ConcurrentHashMap<>();
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String owner = "c" + i;
                // separate Ipam objects: as separate processes would be
                futures.add(pool.submit(() -> {
                    InetAddress ip = new Ipam(root).allocate("net", big, IpAddresses.parse("10.98.0.1"), owner, Optional.empty());
                    assertEquals(null, seen.put(ip, owner), "duplicate " + ip);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            assertEquals(200, new Ipam(root).leases("net").size());
        } finally {
            pool.shutdownNow();
            StateStore.deleteTree(root);
        }
    }
}
