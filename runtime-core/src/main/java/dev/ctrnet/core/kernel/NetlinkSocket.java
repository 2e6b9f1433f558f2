package dev.ctrnet.core.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import dev.ctrnet.api.kernel.KernelException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@code AF_NETLINK} socket, {@code NETLINK_ROUTE} unless another family is asked for. It stays bound to the network namespace of the
 * thread that opened it, whichever thread uses it later. One request is in flight at a time.
 */
final class NetlinkSocket implements AutoCloseable {
    private static final int NETLINK_ROUTE = 0;
    private static final int INITIAL_BUFFER = 64 * 1024;
    private static final int KERNEL_BUFFER = 1024 * 1024;
    private static final int DUMP_ATTEMPTS = 5;

    private final int fd;
    private Memory buffer = new Memory(INITIAL_BUFFER);
    private int sequence;
    private boolean closed;

    private NetlinkSocket(int fd) {
        this.fd = fd;
    }

    /** Opens an rtnetlink socket in the calling thread's network namespace. */
    static NetlinkSocket open() {
        return open(NETLINK_ROUTE);
    }

    /** Opens a socket of netlink family {@code protocol} ({@code NETLINK_*}) in the calling thread's network namespace. */
    static NetlinkSocket open(int protocol) {
        int fd = Syscalls.call("open a netlink socket",
                () -> LibC.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, protocol));
        NetlinkSocket socket = new NetlinkSocket(fd);
        try {
            socket.setOption(LibC.SOL_SOCKET, LibC.SO_RCVBUF, KERNEL_BUFFER);
            // Ask for the kernel's explanation of failures, without the whole request echoed back.
            socket.setOption(LibC.SOL_NETLINK, LibC.NETLINK_EXT_ACK, 1);
            socket.setOption(LibC.SOL_NETLINK, LibC.NETLINK_CAP_ACK, 1);
            if (protocol == NETLINK_ROUTE) {
                socket.filterDumps();
            }
            byte[] address = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder())
                    .putShort((short) LibC.AF_NETLINK).array();
            Syscalls.call("bind a netlink socket", () -> LibC.bind(fd, address, address.length));
            return socket;
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Sends a request that wants an acknowledgement and returns the replies that came before it.
     *
     * @throws NetlinkError when the kernel refuses it
     */
    synchronized List<NetlinkMessage> execute(NetlinkMessage request) {
        int seq = send(request.withSequence(NetlinkMessage.F_REQUEST | NetlinkMessage.F_ACK, ++sequence));
        List<NetlinkMessage> replies = new ArrayList<>();
        while (true) {
            for (NetlinkMessage message : receive()) {
                if (message.sequence() != seq) {
                    continue;
                }
                if (message.type() == NetlinkMessage.ERROR) {
                    Acknowledgement ack = Acknowledgement.decode(message);
                    if (!ack.ok()) {
                        throw new NetlinkError(ack);
                    }
                    return replies;
                }
                replies.add(message);
            }
        }
    }

    /**
     * Sends a dump request and returns every reply up to {@code NLMSG_DONE}. A dump the kernel marks
     * interrupted (the table changed meanwhile) is taken again.
     */
    synchronized List<NetlinkMessage> dump(NetlinkMessage request) {
        for (int attempt = 1; ; attempt++) {
            List<NetlinkMessage> replies = new ArrayList<>();
            boolean interrupted = false;
            int seq = send(request.withSequence(NetlinkMessage.F_REQUEST | NetlinkMessage.F_DUMP, ++sequence));
            boolean done = false;
            while (!done) {
                for (NetlinkMessage message : receive()) {
                    if (message.sequence() != seq) {
                        continue;
                    }
                    interrupted |= (message.flags() & NetlinkMessage.F_DUMP_INTR) != 0;
                    if (message.type() == NetlinkMessage.DONE || message.type() == NetlinkMessage.ERROR) {
                        Acknowledgement ack = Acknowledgement.decode(message);
                        if (!ack.ok()) {
                            throw new NetlinkError(ack);
                        }
                        done = true;
                    } else if (message.type() != NetlinkMessage.NOOP) {
                        replies.add(message);
                    }
                }
            }
            if (!interrupted || attempt == DUMP_ATTEMPTS) {
                return replies;
            }
        }
    }

    private int send(NetlinkMessage message) {
        requireOpen();
        byte[] bytes = message.encode();
        Syscalls.retryingInterrupts("send a netlink request", () -> LibC.send(fd, bytes, bytes.length, 0));
        return message.sequence();
    }

    /** One datagram, however large: peek at its size first and grow the buffer to fit. */
    private List<NetlinkMessage> receive() {
        requireOpen();
        long size = Syscalls.retryingInterrupts("read a netlink reply",
                () -> LibC.recv(fd, buffer, buffer.size(), LibC.MSG_PEEK | LibC.MSG_TRUNC));
        if (size > buffer.size()) {
            buffer.close();
            buffer = new Memory(size);
        }
        long read = Syscalls.retryingInterrupts("read a netlink reply",
                () -> LibC.recv(fd, buffer, buffer.size(), 0));
        try {
            return NetlinkMessage.decodeAll(buffer.getByteBuffer(0, read));
        } catch (MalformedNetlinkException e) {
            throw new KernelException(0, "the kernel sent a netlink reply ctrnet cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Strict checking (Linux 4.20): the kernel then honours a dump request's filters (a link's index for its
     * addresses, a table for its routes) and sends only what matches, instead of every entry. An older kernel
     * refuses the option and sends everything; the callers filter what they read either way.
     */
    private void filterDumps() {
        try {
            setOption(LibC.SOL_NETLINK, LibC.NETLINK_GET_STRICT_CHK, 1);
        } catch (KernelException e) {
            // ENOPROTOOPT before 4.20: dumps are whole, and filtered here
        }
    }

    private void setOption(int level, int name, int value) {
        Syscalls.call("set a netlink socket option",
                () -> LibC.setsockopt(fd, level, name, new int[] {value}, 4));
    }

    /**
     * The name of the link with index {@code index} in the socket's network namespace: {@code SIOCGIFNAME} on
     * the socket, one call where a request would cost a round trip and the decoding of the whole link.
     *
     * @throws KernelException ENODEV when there is no such link
     */
    String linkName(int index) {
        requireOpen();
        byte[] request = new byte[LibC.IFREQ_SIZE];
        ByteBuffer.wrap(request).order(ByteOrder.nativeOrder()).putInt(LibC.IFNAMSIZ, index);
        Syscalls.call("look up link " + index, () -> LibC.ioctl(fd, LibC.SIOCGIFNAME, request));
        // decoded as a link's IFLA_IFNAME is, so a name reads the same whichever way it was asked for
        return NetlinkAttribute.nulTerminated(request, LibC.IFNAMSIZ);
    }

    /**
     * The index of the link named {@code name} in the socket's network namespace: {@code SIOCGIFINDEX} on the
     * socket, as {@link #linkName} is the other way round.
     *
     * @throws KernelException ENODEV when there is no such link
     */
    int linkIndex(String name) {
        requireOpen();
        byte[] request = new byte[LibC.IFREQ_SIZE];
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, request, 0, Math.min(bytes.length, LibC.IFNAMSIZ - 1));
        Syscalls.call("look up link " + name, () -> LibC.ioctl(fd, LibC.SIOCGIFINDEX, request));
        return ByteBuffer.wrap(request).order(ByteOrder.nativeOrder()).getInt(LibC.IFNAMSIZ);
    }

    private void requireOpen() {
        if (closed) {
            throw new KernelException(KernelException.EINVAL,
                    "this netlink connection is closed (its namespace was deleted or the runtime closed)");
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            buffer.close();
            try {
                LibC.close(fd);
            } catch (LastErrorException ignored) {
                // The descriptor is released by the kernel even when close reports an error.
            }
        }
    }
}
