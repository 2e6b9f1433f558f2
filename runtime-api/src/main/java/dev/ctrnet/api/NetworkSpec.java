package dev.ctrnet.api;

import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.Subnets;
import java.net.InetAddress;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a user asked for when creating a network ({@code ctrnet network create}).
 *
 * @param name the network's name
 * @param driver the driver's name (see {@link Names#requireDriverName})
 * @param subnet the subnet, or none to let the runtime pick one from its pool; never one that
 *     {@link Subnets#requireUsable} refuses
 * @param gateway the gateway, or none for the subnet's first address; only with a subnet
 * @param internal whether the network is cut off from the outside world
 * @param options driver options ({@code --opt KEY=VALUE})
 * @param ipv6 whether the network is dual-stack ({@code --ipv6})
 * @param subnet6 the IPv6 subnet, /64 or larger, or none to let the runtime pick a /64 from its pool; only with
 *     {@code ipv6}
 * @param gateway6 the IPv6 gateway, or none for the IPv6 subnet's first address; only with {@code subnet6}
 * @since 2.5 for {@code ipv6}, {@code subnet6} and {@code gateway6}
 */
public record NetworkSpec(String name, String driver, Optional<Cidr> subnet, Optional<InetAddress> gateway,
        boolean internal, Map<String, String> options, boolean ipv6, Optional<Cidr> subnet6,
        Optional<InetAddress> gateway6) {
    public NetworkSpec {
        Names.requireName(name, "network");
        Names.requireDriverName(driver, "network driver");
        Objects.requireNonNull(subnet, "subnet");
        Objects.requireNonNull(gateway, "gateway");
        options = Map.copyOf(options);
        Objects.requireNonNull(subnet6, "subnet6");
        Objects.requireNonNull(gateway6, "gateway6");
        subnet.ifPresent(s -> Attachment.requireFamily(s.address(), true, "subnet"));
        gateway.ifPresent(g -> Attachment.requireFamily(g, true, "gateway"));
        subnet.ifPresent(Subnets::requireUsable);
        if (!ipv6 && (subnet6.isPresent() || gateway6.isPresent())) {
            throw new IllegalArgumentException("an IPv6 subnet or gateway needs --ipv6: add it to make the network dual-stack");
        }
        subnet6.ifPresent(Subnets::requireUsableIpv6);
        if (gateway6.isPresent() && subnet6.isEmpty()) {
            throw new IllegalArgumentException("an IPv6 --gateway needs an IPv6 --subnet: give the subnet it belongs to");
        }
        if (subnet6.isPresent() && gateway6.isPresent() && !subnet6.get().contains(gateway6.get())) {
            throw new IllegalArgumentException("gateway " + gateway6.get().getHostAddress() + " is outside subnet "
                    + subnet6.get().network());
        }
        if (gateway.isPresent() && subnet.isEmpty()) {
            // as Docker: a gateway chosen for a subnet picked from the pool would be a guess
            throw new IllegalArgumentException("--gateway needs --subnet: give the subnet the gateway belongs to");
        }
        if (subnet.isPresent() && gateway.isPresent() && !subnet.get().contains(gateway.get())) {
            throw new IllegalArgumentException("gateway " + gateway.get().getHostAddress() + " is outside subnet "
                    + subnet.get().network());
        }
    }

    /** An IPv4-only network, as before 2.5. */
    public NetworkSpec(String name, String driver, Optional<Cidr> subnet, Optional<InetAddress> gateway,
            boolean internal, Map<String, String> options) {
        this(name, driver, subnet, gateway, internal, options, false, Optional.empty(), Optional.empty());
    }
}
