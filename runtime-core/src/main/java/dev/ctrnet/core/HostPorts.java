package dev.ctrnet.core;

import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.api.net.PortMapping;
import dev.ctrnet.api.net.Protocol;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Checks that a host port to publish is not already taken by a process on the host: once DNAT
 * rules exist, such a process would silently stop receiving its traffic.
 */
final class HostPorts {
    private HostPorts() {}

    private static boolean isLocal(java.net.InetAddress address) {
        try {
            return java.net.NetworkInterface.getByInetAddress(address) != null || address.isLoopbackAddress();
        } catch (java.net.SocketException e) {
            return false;
        }
    }

    /** Refuses the mapping when a port of it cannot be bound on its host address. */
    static void requireFree(PortMapping mapping) {
        for (int port = mapping.hostPorts().first(); port <= mapping.hostPorts().last(); port++) {
            InetSocketAddress address = new InetSocketAddress(mapping.hostIp(), port);
            try {
                if (mapping.protocol() == Protocol.TCP) {
                    try (ServerSocket s = new ServerSocket()) {
                        s.setReuseAddress(true);
                        s.bind(address);
                    }
                } else {
                    new DatagramSocket(address).close();
                }
            } catch (java.net.BindException e) {
                if (!mapping.hostIp().isAnyLocalAddress() && !isLocal(mapping.hostIp())) {
                    throw new CtrnetException("cannot publish on " + IpAddresses.format(mapping.hostIp())
                            + ": it is not an address of this host");
                }
                throw new CtrnetException("port " + port + "/" + mapping.protocol().id() + " on "
                        + IpAddresses.format(mapping.hostIp()) + " is already in use on the host: " + e.getMessage());
            } catch (IOException e) {
                throw new CtrnetException("cannot check port " + port + "/" + mapping.protocol().id() + " on "
                        + IpAddresses.format(mapping.hostIp()) + ": " + e.getMessage());
            }
        }
    }
}
