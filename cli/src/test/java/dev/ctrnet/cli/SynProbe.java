package dev.ctrnet.cli;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A crafted TCP SYN, sent as a raw Ethernet frame from inside a network namespace, as an attacker who
 * controls their own machine (a LAN neighbour, a process in a container) can send any frame. It tells
 * what came back from the target port within a bounded time: a SYN-ACK (something accepted the
 * connection), a reset, or nothing. No tool of the host is involved: the frame is built byte by byte,
 * checksums included, and written to an {@code AF_PACKET} socket, so no routing or filtering of the
 * sender's own kernel shapes it.
 *
 * @param netns the sender's network namespace, as a file ({@code /run/netns/NAME}, a container's netns)
 * @param device the sender's interface in it
 * @param sourceMac the sender's interface address
 * @param destinationMac where the frame goes on the wire: the host's or the gateway's interface address
 * @param source the sender's IPv4 address
 * @param destination the IPv4 destination written in the packet, e.g. 127.0.0.1
 * @param port the TCP destination port
 */
record SynProbe(Path netns, String device, String sourceMac, String destinationMac, String source,
        String destination, int port) {

    /** What the target sent back. */
    enum Answer { SYN_ACK, RESET, NOTHING }

    private static final int AF_PACKET = 17;
    private static final int SOCK_RAW = 3;
    private static final int ETH_P_IP = 0x0800;
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int EAGAIN = 11;
    private static final int TCP_SYN = 0x02;
    private static final int TCP_RST = 0x04;
    private static final int TCP_ACK = 0x10;
    /** Long enough for a busy host to answer, short enough for a test. */
    private static final long WAIT_MILLIS = 3000;

    /** The C calls the probe needs; the frame itself is plain bytes. */
    private interface C extends Library {
        C INSTANCE = Native.load("c", C.class);

        int open(String path, int flags) throws LastErrorException;

        int close(int fd) throws LastErrorException;

        int setns(int fd, int nstype) throws LastErrorException;

        int socket(int domain, int type, int protocol) throws LastErrorException;

        int bind(int fd, byte[] address, int length) throws LastErrorException;

        int setsockopt(int fd, int level, int name, byte[] value, int length) throws LastErrorException;

        long send(int fd, byte[] buffer, long length, int flags) throws LastErrorException;

        long recv(int fd, byte[] buffer, long length, int flags) throws LastErrorException;

        int if_nametoindex(String name) throws LastErrorException;
    }

    /**
     * Sends the SYN and waits for the answer. The work runs on a platform thread of its own, because
     * {@code setns} moves only the calling thread into the sender's namespace; the thread ends with it.
     */
    Answer send() {
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread sender = new Thread(() -> {
            try {
                outcome.set(sendHere());
            } catch (RuntimeException | Error e) {
                outcome.set(e);
            }
        }, "syn-probe");
        sender.start();
        try {
            sender.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        if (outcome.get() instanceof Answer answer) {
            return answer;
        }
        throw new AssertionError("the probe failed: " + this, (Throwable) outcome.get());
    }

    private Answer sendHere() {
        C c = C.INSTANCE;
        int ns = c.open(netns.toString(), 0);
        try {
            c.setns(ns, CLONE_NEWNET);
        } finally {
            c.close(ns);
        }
        int fd = c.socket(AF_PACKET, SOCK_RAW, Short.toUnsignedInt(htons(ETH_P_IP)));
        try {
            c.bind(fd, linkAddress(c.if_nametoindex(device)), 20);
            // a timeout per read, so the deadline below is checked even when nothing arrives
            byte[] timeout = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putLong(0).putLong(200_000)
                    .array();
            c.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeout, timeout.length);
            int sourcePort = ThreadLocalRandom.current().nextInt(40000, 60000);
            byte[] frame = synFrame(sourcePort);
            c.send(fd, frame, frame.length, 0);
            return awaitAnswer(c, fd, sourcePort);
        } finally {
            c.close(fd);
        }
    }

    private Answer awaitAnswer(C c, int fd, int sourcePort) {
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        byte[] buffer = new byte[2048];
        while (System.nanoTime() < deadline) {
            long length;
            try {
                length = c.recv(fd, buffer, buffer.length, 0);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == EAGAIN) {
                    continue;
                }
                throw e;
            }
            int flags = replyFlags(ByteBuffer.wrap(buffer, 0, (int) length), sourcePort);
            if ((flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK)) {
                return Answer.SYN_ACK;
            }
            if ((flags & TCP_RST) != 0) {
                return Answer.RESET;
            }
        }
        return Answer.NOTHING;
    }

    /**
     * The TCP flags of a segment from the target port to the probe's source port, whatever its addresses
     * (a hole answers from 127.0.0.1 or from an address translated on the way), or 0 for any other frame.
     */
    private int replyFlags(ByteBuffer frame, int sourcePort) {
        if (frame.limit() < 14 + 20 || Short.toUnsignedInt(frame.getShort(12)) != ETH_P_IP || frame.get(23) != 6) {
            return 0;
        }
        int tcp = 14 + (frame.get(14) & 0x0f) * 4;
        if (frame.limit() < tcp + 20) {
            return 0;
        }
        boolean ours = Short.toUnsignedInt(frame.getShort(tcp)) == port
                && Short.toUnsignedInt(frame.getShort(tcp + 2)) == sourcePort;
        return ours ? frame.get(tcp + 13) & 0xff : 0;
    }

    /** Ethernet header, IPv4 header and a TCP SYN with its MSS option, checksums computed. */
    private byte[] synFrame(int sourcePort) {
        byte[] src = ipv4(source);
        byte[] dst = ipv4(destination);
        ByteBuffer tcp = ByteBuffer.allocate(24);
        tcp.putShort((short) sourcePort).putShort((short) port)
                .putInt(ThreadLocalRandom.current().nextInt()).putInt(0)
                .put((byte) (6 << 4)).put((byte) TCP_SYN).putShort((short) 64240)
                .putShort((short) 0).putShort((short) 0)
                .put((byte) 2).put((byte) 4).putShort((short) 1460);
        ByteBuffer pseudo = ByteBuffer.allocate(12 + tcp.capacity());
        pseudo.put(src).put(dst).put((byte) 0).put((byte) 6).putShort((short) tcp.capacity()).put(tcp.array());
        tcp.putShort(16, checksum(pseudo.array()));

        ByteBuffer ip = ByteBuffer.allocate(20);
        ip.put((byte) 0x45).put((byte) 0).putShort((short) (20 + tcp.capacity()))
                .putShort((short) ThreadLocalRandom.current().nextInt(1 << 16)).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 6).putShort((short) 0).put(src).put(dst);
        ip.putShort(10, checksum(ip.array()));

        return ByteBuffer.allocate(14 + 20 + tcp.capacity())
                .put(mac(destinationMac)).put(mac(sourceMac)).putShort((short) ETH_P_IP)
                .put(ip.array()).put(tcp.array()).array();
    }

    /** The internet checksum (RFC 1071) of {@code data}, with its checksum field zero. */
    static short checksum(byte[] data) {
        long sum = 0;
        for (int i = 0; i < data.length; i += 2) {
            int high = data[i] & 0xff;
            int low = i + 1 < data.length ? data[i + 1] & 0xff : 0;
            sum += (high << 8) | low;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (short) ~sum;
    }

    /** {@code struct sockaddr_ll} for binding to the interface with index {@code index}. */
    private static byte[] linkAddress(int index) {
        return ByteBuffer.allocate(20).order(ByteOrder.nativeOrder())
                .putShort((short) AF_PACKET).putShort(htons(ETH_P_IP)).putInt(index).array();
    }

    private static short htons(int value) {
        return ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? (short) value : Short.reverseBytes((short) value);
    }

    private static byte[] mac(String text) {
        return HexFormat.ofDelimiter(":").parseHex(text);
    }

    private static byte[] ipv4(String text) {
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text + " is not an address", e);
        }
    }
}
