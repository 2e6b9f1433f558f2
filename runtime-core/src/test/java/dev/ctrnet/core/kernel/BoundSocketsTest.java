package dev.ctrnet.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.net.Protocol;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** sock_diag finds the sockets that hold a port of the range asked about, and only those. */
class BoundSocketsTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void aListenerIsFoundWithinItsRangeAndNotOutside() throws Exception {
        try (ServerSocket tcp = new ServerSocket()) {
            tcp.bind(new InetSocketAddress(LOOPBACK, 0));
            int port = tcp.getLocalPort();
            InetSocketAddress listener = new InetSocketAddress(LOOPBACK, port);
            assertTrue(BoundSockets.holding(Protocol.TCP, port, port).contains(listener));
            assertTrue(BoundSockets.holding(Protocol.TCP, port - 1, port + 1).contains(listener));
            assertFalse(BoundSockets.holding(Protocol.TCP, port + 1, port + 10_000).contains(listener));
            assertFalse(BoundSockets.holding(Protocol.TCP, 1, port - 1).contains(listener));
            assertFalse(BoundSockets.holding(Protocol.UDP, port, port).contains(listener));
        }
    }

    @Test
    void aConnectionIsNoListenerButABoundDatagramSocketHoldsItsPort() throws Exception {
        try (ServerSocket tcp = new ServerSocket(0, 1, LOOPBACK);
                Socket client = new Socket(LOOPBACK, tcp.getLocalPort());
                DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            int clientPort = client.getLocalPort();
            List<InetSocketAddress> tcpFound = BoundSockets.holding(Protocol.TCP, clientPort, clientPort);
            assertEquals(List.of(), tcpFound, "an outgoing connection's port is not a listener's");
            assertEquals(List.of(new InetSocketAddress(LOOPBACK, udp.getLocalPort())),
                    BoundSockets.holding(Protocol.UDP, udp.getLocalPort(), udp.getLocalPort()));
        }
    }
}
