package dev.ctrnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.api.net.PortMapping;
import dev.ctrnet.core.topology.Topology;
import dev.ctrnet.core.topology.Topology.Device;
import dev.ctrnet.core.topology.Topology.LinkState;
import dev.ctrnet.core.topology.Topology.Member;
import dev.ctrnet.core.topology.Topology.Net;
import dev.ctrnet.core.topology.Topology.Uplink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Golden pictures of one fixed topology, drawn from the data model alone (no kernel): a default bridge with two
 * containers, one with published ports and one whose cable is down; an internal network the second container is
 * also on; a network whose bridge is gone; and a container on the host's network.
 */
class TopologyPictureTest {
    static Topology fixed() {
        Member web = new Member("web", true, Optional.of("eth0"), Optional.of(Cidr.parse("172.17.0.2/16")),
                Optional.of(new Device("ve-0a1b2c3d-0", LinkState.UP)),
                List.of(PortMapping.parse("8080:80"), PortMapping.parse("127.0.0.1:5353:53/udp")));
        Member db = new Member("db", true, Optional.of("eth0"), Optional.of(Cidr.parse("172.17.0.3/16")),
                Optional.of(new Device("ve-4e5f6a7b-0", LinkState.DOWN)), List.of());
        Member dbBackend = new Member("db", true, Optional.of("eth1"), Optional.of(Cidr.parse("10.20.0.2/24")),
                Optional.of(new Device("ve-4e5f6a7b-1", LinkState.UP)), List.of());
        Member tool = new Member("tool", false, Optional.empty(), Optional.empty(), Optional.empty(), List.of());
        return new Topology(
                new Uplink(Optional.of("eth0"), List.of(Cidr.parse("192.0.2.10/24")), Optional.of(IpAddresses.parse("192.0.2.1"))),
                true, Optional.of("nftables"), List.of(
                        bridged("bridge", "ctrnet0", LinkState.UP, "172.17.0.0/16", false, true, List.of(web, db)),
                        bridged("backend", "br-backend", LinkState.UP, "10.20.0.0/24", true, true, List.of(dbBackend)),
                        bridged("spare", "ctrnet-5e1f0a2b", LinkState.MISSING, "10.30.0.0/24", false, false, List.of()),
                        new Net("host", "host", Optional.empty(), Optional.empty(), Optional.empty(), false, false,
                                List.of(tool))));
    }

    private static Net bridged(String name, String bridge, LinkState state, String subnet, boolean internal,
            boolean masquerade, List<Member> members) {
        Cidr cidr = Cidr.parse(subnet);
        return new Net(name, "bridge", Optional.of(new Device(bridge, state)), Optional.of(cidr),
                Optional.of(cidr.addressAt(java.math.BigInteger.ONE)), internal, masquerade, members);
    }

    @Test
    void textMatchesTheGoldenPicture() {
        assertEquals(golden("fixed.txt"), TopologyPicture.render(fixed()));
    }

    @Test
    void dotMatchesTheGoldenGraph() {
        assertEquals(golden("fixed.dot"), TopologyDot.render(fixed()));
    }

    @Test
    void theTextPictureFitsEightyColumns() {
        for (String line : TopologyPicture.render(fixed()).lines().toList()) {
            assertTrue(line.codePointCount(0, line.length()) <= 80, "wider than 80 columns: " + line);
        }
    }

    @Test
    void aHostWithoutDefaultRouteOrNetworksIsDrawnWithoutTheWorld() {
        Topology bare = new Topology(Uplink.none(), false, Optional.empty(), List.of());
        assertEquals("""
                ┌────────────────────────────────────────┐
                │ host  no default route                 │
                │       ip_forward OFF · NAT none usable │
                └────────────────────────────────────────┘
                """, TopologyPicture.render(bare));
    }

    private static String golden(String name) {
        try (InputStream in = TopologyPictureTest.class.getResourceAsStream("/topology/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
