package dev.ctrnet.api;

import dev.ctrnet.api.kernel.NetworkNamespace;
import dev.ctrnet.api.net.Cidr;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how to attach a container to a network, decided by the runtime before the driver is called.
 *
 * @param container the container's name
 * @param containerId the container's id (hex), from which drivers derive host-side link names
 * @param sandbox the container's network namespace
 * @param interfaceName the interface name inside the sandbox ({@code eth0}, {@code eth1}, …)
 * @param address the address IPAM leased, with the subnet's prefix length, when the driver uses addresses
 * @param gateway the network's gateway, when it has one
 * @param defaultRoute whether this attachment should install the sandbox's default route (of each family it has)
 * @param address6 the IPv6 address IPAM leased, with the IPv6 subnet's prefix length, on a dual-stack network;
 *     its gateway is the network's {@link Network#gateway6()}
 * @since 2.5 for {@code address6}
 */
public record Endpoint(String container, String containerId, NetworkNamespace sandbox, String interfaceName,
        Optional<Cidr> address, Optional<InetAddress> gateway, boolean defaultRoute, Optional<Cidr> address6) {
    public Endpoint {
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(sandbox, "sandbox");
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(address6, "address6");
        address6.ifPresent(a -> Attachment.requireFamily(a.address(), false, "address6"));
    }

    /** An endpoint without IPv6, as before 2.5. */
    public Endpoint(String container, String containerId, NetworkNamespace sandbox, String interfaceName,
            Optional<Cidr> address, Optional<InetAddress> gateway, boolean defaultRoute) {
        this(container, containerId, sandbox, interfaceName, address, gateway, defaultRoute, Optional.empty());
    }
}
