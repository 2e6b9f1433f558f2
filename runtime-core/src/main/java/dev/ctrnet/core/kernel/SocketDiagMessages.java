package dev.ctrnet.core.kernel;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * sock_diag messages ({@code SOCK_DIAG_BY_FAMILY}, {@code struct inet_diag_req_v2} + a bytecode filter), built
 * and read: what {@code ss -lnt 'sport >= :A and sport <= :B'} asks the kernel. The filter runs in the kernel,
 * so the answer holds only the sockets on the ports asked about, however wide the range; a dump of listeners
 * alone walks the kernel's listening table only, never its table of connections.
 */
final class SocketDiagMessages {
    /** {@code NETLINK_SOCK_DIAG}: the netlink family. */
    static final int NETLINK_SOCK_DIAG = 4;
    static final int SOCK_DIAG_BY_FAMILY = 20;
    static final int IPPROTO_TCP = 6;
    static final int IPPROTO_UDP = 17;
    /** {@code 1 << TCP_LISTEN}: listening TCP sockets only. */
    static final int LISTENING = 1 << 10;
    /** Every state: a UDP socket holds its port whether it is connected or not. */
    static final int EVERY_STATE = 0xffffffff;

    private static final int INET_DIAG_REQ_BYTECODE = 1;
    private static final int INET_DIAG_BC_S_GE = 2;
    private static final int INET_DIAG_BC_S_LE = 3;
    /** {@code struct inet_diag_bc_op}: code, yes, no. */
    private static final int OP = 4;
    private static final int REQUEST_SIZE = 56;
    /** {@code struct inet_diag_msg} up to the end of the local address. */
    private static final int SOURCE_END = 24;

    private SocketDiagMessages() {}

    /**
     * A dump of the sockets of {@code family} and {@code protocol} in one of {@code states} whose local port is
     * within {@code first..last}.
     */
    static NetlinkMessage dump(int family, int protocol, int states, int first, int last) {
        byte[] header = ByteBuffer.allocate(REQUEST_SIZE).order(ByteOrder.nativeOrder())
                .put((byte) family).put((byte) protocol).put((byte) 0).put((byte) 0).putInt(states).array();
        return NetlinkMessage.request(SOCK_DIAG_BY_FAMILY, 0, header, new NetlinkAttributes(List.of(
                new NetlinkAttribute(INET_DIAG_REQ_BYTECODE, portRange(first, last)))));
    }

    /**
     * {@code sport >= first && sport <= last}: each comparison is an op followed by one carrying the port; a
     * comparison that fails jumps 4 bytes past the end, which rejects the socket, and reaching the end exactly
     * accepts it.
     */
    static byte[] portRange(int first, int last) {
        ByteBuffer code = ByteBuffer.allocate(4 * OP).order(ByteOrder.nativeOrder());
        comparison(code, INET_DIAG_BC_S_GE, first, 4 * OP);
        comparison(code, INET_DIAG_BC_S_LE, last, 2 * OP);
        return code.array();
    }

    private static void comparison(ByteBuffer code, int op, int port, int remaining) {
        code.put((byte) op).put((byte) (2 * OP)).putShort((short) (remaining + OP));
        code.put((byte) 0).put((byte) 0).putShort((short) port);
    }

    /** The local address and port of a socket the kernel reported ({@code struct inet_diag_msg}). */
    static InetSocketAddress decode(NetlinkMessage message) {
        byte[] body = message.payload();
        if (body.length < SOURCE_END) {
            throw new MalformedNetlinkException("sock_diag message of " + body.length + " bytes has no socket id");
        }
        int family = Byte.toUnsignedInt(body[0]);
        int port = ((body[4] & 0xff) << 8) | (body[5] & 0xff);
        byte[] address = Arrays.copyOfRange(body, 8, family == AddressMessages.AF_INET ? 12 : SOURCE_END);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), port);
        } catch (UnknownHostException e) {
            throw new MalformedNetlinkException("sock_diag message of family " + family + " has no address");
        }
    }
}
