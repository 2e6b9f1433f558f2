package dev.ctrnet.core;

import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.api.net.PortMapping;
import dev.ctrnet.api.net.Protocol;
import dev.ctrnet.core.kernel.BoundSockets;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Checks that a host port to publish is not already taken by a process on the host: once DNAT
 * rules exist, such a process would silently stop receiving its traffic.
 *
 * <p>The kernel is asked through sock_diag for the sockets of this process's network namespace that
 * hold a port of the mapping, the range being a filter the kernel applies ({@link BoundSockets}): a
 * range of 10,000 ports costs what one port costs, where binding a test socket per port would cost
 * 10,000 system calls and descriptors. A kernel without sock_diag for the protocol has its socket
 * tables ({@code /proc/net/tcp}, {@code udp} and their IPv6 twins) read instead, once per mapping.
 */
final class HostPorts {
    /** A TCP socket's state in the tables: only listeners take a port from a published one. */
    private static final String TCP_LISTEN = "0A";

    private HostPorts() {}

    /**
     * A local socket as the tables show it.
     *
     * @param address its local address (the wildcard when bound to every address)
     * @param port its local port
     */
    record BoundSocket(InetAddress address, int port) {
        /** Whether a socket bound here keeps the host from receiving {@code port} on {@code host}. */
        boolean takes(InetAddress host, int first, int last) {
            return port >= first && port <= last
                    && (address.isAnyLocalAddress() || host.isAnyLocalAddress() || address.equals(host));
        }
    }

    /** Refuses the mapping when a port of it is bound on its host address. */
    static void requireFree(PortMapping mapping) {
        InetAddress host = mapping.hostIp();
        if (!host.isAnyLocalAddress() && !isLocal(host)) {
            throw new CtrnetException("cannot publish on " + IpAddresses.format(host) + ": it is not an address of this host");
        }
        int first = mapping.hostPorts().first();
        int last = mapping.hostPorts().last();
        for (BoundSocket socket : boundSockets(mapping.protocol(), first, last)) {
            if (socket.takes(host, first, last)) {
                throw new CtrnetException("port " + socket.port() + "/" + mapping.protocol().id() + " on "
                        + IpAddresses.format(host) + " is already in use on the host (a socket is bound on "
                        + IpAddresses.format(socket.address()) + ")");
            }
        }
    }

    /** The sockets of {@code protocol} that hold a port in {@code first..last} (or more of them). */
    private static List<BoundSocket> boundSockets(Protocol protocol, int first, int last) {
        try {
            return BoundSockets.holding(protocol, first, last).stream()
                    .map(s -> new BoundSocket(s.getAddress(), s.getPort()))
                    .toList();
        } catch (KernelException e) {
            return fromTables(protocol);
        }
    }

    /** The sockets of {@code protocol} that hold a port, from the socket tables: TCP listeners, and every bound UDP socket. */
    static List<BoundSocket> fromTables(Protocol protocol) {
        String table = protocol == Protocol.TCP ? "tcp" : "udp";
        List<BoundSocket> sockets = new ArrayList<>();
        for (String file : List.of(table, table + "6")) {
            Path path = Path.of("/proc/self/net", file);
            List<String> lines;
            try {
                lines = Files.readAllLines(path);
            } catch (java.nio.file.NoSuchFileException e) {
                continue; // a kernel without IPv6 has no tcp6 table
            } catch (IOException e) {
                throw new CtrnetException("cannot read the kernel's socket table " + path + ": " + e.getMessage(), e);
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                parse(line, protocol).ifPresent(sockets::add);
            }
        }
        return sockets;
    }

    /** One row of a table: {@code sl local_address rem_address st …}, addresses as {@code HEX:PORT}. */
    static Optional<BoundSocket> parse(String row, Protocol protocol) {
        String[] fields = row.trim().split("\\s+");
        if (fields.length < 4 || protocol == Protocol.TCP && !fields[3].equals(TCP_LISTEN)) {
            return Optional.empty();
        }
        String[] local = fields[1].split(":");
        if (local.length != 2) {
            return Optional.empty();
        }
        return Optional.of(new BoundSocket(address(local[0]), Integer.parseInt(local[1], 16)));
    }

    /**
     * The kernel prints an address as 32-bit words in the host's byte order (little-endian on every
     * architecture ctrnet runs on). The JDK turns an IPv4-mapped IPv6 address into its IPv4 one.
     */
    private static InetAddress address(String hex) {
        byte[] words = HexFormat.of().parseHex(hex);
        byte[] bytes = new byte[words.length];
        for (int w = 0; w < words.length; w += 4) {
            for (int i = 0; i < 4; i++) {
                bytes[w + i] = words[w + 3 - i];
            }
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + hex, e);
        }
    }

    private static boolean isLocal(InetAddress address) {
        try {
            return NetworkInterface.getByInetAddress(address) != null || address.isLoopbackAddress();
        } catch (SocketException e) {
            return false;
        }
    }
}
