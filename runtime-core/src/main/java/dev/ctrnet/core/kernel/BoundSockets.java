package dev.ctrnet.core.kernel;

import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.api.net.Protocol;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The sockets of the calling thread's network namespace that hold local ports, asked of the kernel through
 * sock_diag with the port range as a filter: one request per address family, whose cost depends on how many
 * sockets hold ports in the range, not on how wide the range is (10,000 ports cost what one costs).
 */
public final class BoundSockets {
    private BoundSockets() {}

    /**
     * The local addresses of the sockets of {@code protocol} that hold a port in {@code first..last}: TCP
     * listeners, and every UDP socket.
     *
     * @throws KernelException when the kernel cannot answer (no sock_diag support for the protocol)
     */
    public static List<InetSocketAddress> holding(Protocol protocol, int first, int last) {
        int ipProtocol = protocol == Protocol.TCP ? SocketDiagMessages.IPPROTO_TCP : SocketDiagMessages.IPPROTO_UDP;
        int states = protocol == Protocol.TCP ? SocketDiagMessages.LISTENING : SocketDiagMessages.EVERY_STATE;
        List<InetSocketAddress> sockets = new ArrayList<>();
        try (NetlinkSocket socket = NetlinkSocket.open(SocketDiagMessages.NETLINK_SOCK_DIAG)) {
            for (int family : List.of(AddressMessages.AF_INET, AddressMessages.AF_INET6)) {
                for (NetlinkMessage reply : socket.dump(SocketDiagMessages.dump(family, ipProtocol, states, first, last))) {
                    if (reply.type() == SocketDiagMessages.SOCK_DIAG_BY_FAMILY) {
                        sockets.add(SocketDiagMessages.decode(reply));
                    }
                }
            }
        } catch (NetlinkError e) {
            throw new KernelException(e.errno(), "the kernel cannot list the " + protocol.id() + " sockets: "
                    + Syscalls.reason(e.errno()), e);
        }
        return sockets;
    }
}
