package dev.ctrnet.core;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.net.PortMapping;
import dev.ctrnet.api.net.Protocol;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The host-port check asks the kernel for the sockets on the ports, or reads its socket tables: rows parsed, and real sockets found. */
class HostPortsTest {
    @Test
    void rowsOfTheTablesAreParsedAsTheKernelPrintsThem() throws Exception {
        String listen4 = "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1";
        assertEquals(Optional.of(new HostPorts.BoundSocket(InetAddress.getByName("127.0.0.1"), 8080)),
                HostPorts.parse(listen4, Protocol.TCP));
        String listen6 = "   0: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A 0 0 0";
        assertEquals(Optional.of(new HostPorts.BoundSocket(InetAddress.getByName("::"), 80)),
                HostPorts.parse(listen6, Protocol.TCP));
        String mapped = "   0: 0000000000000000FFFF00000264A8C0:0050 00000000000000000000000000000000:0000 0A 0 0 0";
        assertEquals(Optional.of(new HostPorts.BoundSocket(InetAddress.getByName("192.168.100.2"), 80)),
                HostPorts.parse(mapped, Protocol.TCP));
        String established = "   1: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000 0 0 2 1";
        assertEquals(Optional.empty(), HostPorts.parse(established, Protocol.TCP), "only listeners hold a TCP port");
        assertTrue(HostPorts.parse(established, Protocol.UDP).isPresent(), "every bound UDP socket holds its port");
    }

    @Test
    void aListenerOrABoundDatagramSocketTakesItsPortAndTheWildcard() throws Exception {
        try (ServerSocket tcp = new ServerSocket()) {
            tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = tcp.getLocalPort();
            assertThrows(CtrnetException.class, () -> HostPorts.requireFree(PortMapping.parse("127.0.0.1:" + port + ":80")));
            assertThrows(CtrnetException.class, () -> HostPorts.requireFree(PortMapping.parse(port + ":80")));
            assertThrows(CtrnetException.class, () -> HostPorts.requireFree(
                    PortMapping.parse((port - 1) + "-" + (port + 1) + ":" + (port - 1) + "-" + (port + 1))));
            assertDoesNotThrow(() -> HostPorts.requireFree(PortMapping.parse(port + ":80/udp")));
        }
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int port = udp.getLocalPort();
            assertThrows(CtrnetException.class, () -> HostPorts.requireFree(PortMapping.parse(port + ":53/udp")));
        }
    }

    @Test
    void theTablesShowAListenerAsTheKernelDoes() throws Exception {
        try (ServerSocket tcp = new ServerSocket()) {
            tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            assertTrue(HostPorts.fromTables(Protocol.TCP).contains(
                    new HostPorts.BoundSocket(InetAddress.getLoopbackAddress(), tcp.getLocalPort())));
        }
    }

    @Test
    void aTenThousandPortRangeIsCheckedWithOneRequest() {
        assertDoesNotThrow(() -> HostPorts.requireFree(PortMapping.parse("40000-49999:40000-49999")));
    }
}
