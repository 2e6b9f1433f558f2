package dev.ctrnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What a failed or interrupted command must not leave behind, seen with the kernel's own tools. */
final class Leftovers {
    private Leftovers() {}

    /**
     * Nothing remains of container {@code name} on {@code network}: no record or folder, namespace mount, lease,
     * veth on the network's bridge, or rule for {@code port} in either backend's rules.
     */
    static void assertNoContainer(Ctrnet ctrnet, String name, String network, int port) throws IOException {
        assertEquals("ctrnet: no such container: " + name, ctrnet.run("inspect", name).err().trim());
        assertFalse(Files.exists(ctrnet.root().resolve("containers").resolve(name)), "no folder of " + name);
        assertEquals(List.of(), StateFiles.list(ctrnet.root().resolve("run/netns")), "no netns mount");
        assertEquals(List.of(), StateFiles.list(ctrnet.root().resolve("run/uts")), "no uts mount");
        Path ipam = ctrnet.root().resolve("ipam");
        if (Files.exists(ipam)) {
            try (Stream<Path> leases = Files.walk(ipam)) {
                assertEquals(List.of(), leases.filter(Files::isRegularFile)
                        .filter(p -> !List.of("last", "last6").contains(p.getFileName().toString())).toList(), "no lease");
            }
        }
        assertFalse(Shell.run(List.of("nft", "list", "ruleset")).ok().out().contains(Integer.toString(port)),
                "no nftables rule for port " + port);
        assertFalse(Shell.run(List.of("iptables-save")).ok().out().contains("--dport " + port),
                "no iptables rule for port " + port);
        String bridge = (String) Json.object(ctrnet.ok("network", "inspect", network)).get("bridge");
        assertTrue(Eventually.holds(() -> Json.array(Shell.run(List.of("ip", "-j", "link", "show", "master", bridge)).ok().out())
                .isEmpty()), "no veth on the bridge");
        assertEquals(List.of(), Json.object(ctrnet.ok("network", "inspect", network)).get("containers"));
    }

    /** Nothing remains of network {@code name}: no record, no bridge, no rule naming the bridge. */
    static void assertNoNetwork(Ctrnet ctrnet, String name, String bridge) {
        assertNotEquals(0, ctrnet.run("network", "inspect", name).exit(), "the record is gone");
        assertNotEquals(0, Shell.run(List.of("ip", "link", "show", bridge)).exit(), "the bridge is gone");
        assertFalse(Shell.run(List.of("nft", "list", "ruleset")).ok().out().contains(bridge), "no nftables rule names it");
        assertFalse(Shell.run(List.of("iptables-save")).ok().out().contains(bridge), "no iptables rule names it");
    }
}
