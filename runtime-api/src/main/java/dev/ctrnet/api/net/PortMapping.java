package dev.ctrnet.api.net;

import dev.ctrnet.api.UserInput;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A published port: traffic to {@code hostIp:hostPorts} is forwarded to the container's
 * {@code containerPorts}, port by port in order.
 *
 * @param hostIp the host address it is published on; {@code 0.0.0.0} means every address
 * @param hostPorts the host ports
 * @param containerPorts the container ports, as many as {@code hostPorts}
 * @param protocol tcp or udp
 */
public record PortMapping(InetAddress hostIp, PortRange hostPorts, PortRange containerPorts, Protocol protocol) {
    public PortMapping {
        Objects.requireNonNull(hostIp, "hostIp");
        Objects.requireNonNull(hostPorts, "hostPorts");
        Objects.requireNonNull(containerPorts, "containerPorts");
        Objects.requireNonNull(protocol, "protocol");
        if (hostPorts.size() != containerPorts.size()) {
            throw new IllegalArgumentException("host ports " + hostPorts + " and container ports " + containerPorts
                    + " are ranges of different lengths");
        }
    }

    /**
     * Parses Docker's {@code -p} syntax: {@code [HOST_IP:]HOST_PORT[-END]:CONTAINER_PORT[-END][/tcp|/udp]}.
     * An IPv6 host address is written in brackets, {@code [::1]:8080:80}.
     */
    public static PortMapping parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("a published port is empty");
        }
        String spec = text;
        Protocol protocol = Protocol.TCP;
        int slash = spec.lastIndexOf('/');
        if (slash >= 0) {
            protocol = Protocol.parse(spec.substring(slash + 1));
            spec = spec.substring(0, slash);
        }
        InetAddress hostIp = IpAddresses.anyIpv4();
        if (spec.startsWith("[")) {
            int close = spec.indexOf("]:");
            if (close < 0) {
                throw new IllegalArgumentException(UserInput.quote(text) + " has an unclosed '[' around its host address");
            }
            hostIp = IpAddresses.parse(spec.substring(1, close));
            spec = spec.substring(close + 2);
        }
        String[] parts = spec.split(":", -1);
        if (parts.length == 3 && hostIp.equals(IpAddresses.anyIpv4())) {
            hostIp = IpAddresses.parse(parts[0]);
            parts = new String[] {parts[1], parts[2]};
        }
        if (parts.length != 2) {
            throw new IllegalArgumentException(UserInput.quote(text)
                    + " is not a published port: use [HOST_IP:]HOST_PORT:CONTAINER_PORT[/tcp|/udp], e.g. 8080:80");
        }
        try {
            return new PortMapping(hostIp, PortRange.parse(parts[0]), PortRange.parse(parts[1]), protocol);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(UserInput.quote(text) + ": " + e.getMessage(), e);
        }
    }

    /** Whether the two mappings claim a common host address, protocol and port. */
    public boolean conflictsWith(PortMapping other) {
        boolean sameAddressSpace = hostIp.equals(other.hostIp) || hostIp.isAnyLocalAddress()
                || other.hostIp.isAnyLocalAddress();
        return protocol == other.protocol && sameAddressSpace && hostPorts.overlaps(other.hostPorts);
    }

    /** Docker's form, {@code 80/tcp -> 0.0.0.0:8080} or {@code 80/tcp -> [::]:8080}, as {@code ctrnet port} prints it. */
    public String describe() {
        String host = IpAddresses.format(hostIp);
        return containerPorts + "/" + protocol.id() + " -> " + (host.contains(":") ? "[" + host + "]" : host) + ":"
                + hostPorts;
    }
}
