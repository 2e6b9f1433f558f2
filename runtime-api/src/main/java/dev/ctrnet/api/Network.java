package dev.ctrnet.api;

import dev.ctrnet.api.net.Cidr;
import java.net.InetAddress;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A network as the runtime keeps it: the user's request completed by the runtime (subnet and gateway
 * from IPAM's pool) and by the driver (its resolved options, e.g. the bridge's name).
 *
 * @param name the network's name
 * @param id a stable identifier, hex, unique on this host
 * @param driver the driver's name
 * @param subnet the subnet, when the driver uses addresses
 * @param gateway the gateway address, when the driver uses addresses
 * @param internal whether the network is cut off from the outside world
 * @param options the driver's options, resolved
 * @param subnet6 the IPv6 subnet of a dual-stack network ({@code --ipv6}), beside the IPv4 {@code subnet}
 * @param gateway6 the IPv6 gateway address, present exactly when {@code subnet6} is
 * @since 2.5 for {@code subnet6} and {@code gateway6}
 */
public record Network(String name, String id, String driver, Optional<Cidr> subnet, Optional<InetAddress> gateway,
        boolean internal, Map<String, String> options, Optional<Cidr> subnet6, Optional<InetAddress> gateway6) {
    public Network {
        Names.requireName(name, "network");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(subnet, "subnet");
        Objects.requireNonNull(gateway, "gateway");
        options = Map.copyOf(options);
        Objects.requireNonNull(subnet6, "subnet6");
        Objects.requireNonNull(gateway6, "gateway6");
        if (subnet6.isPresent() != gateway6.isPresent()) {
            throw new IllegalArgumentException("network " + name + " needs both an IPv6 subnet and an IPv6 gateway, or neither");
        }
        subnet6.ifPresent(s -> Attachment.requireFamily(s.address(), false, "subnet6"));
        gateway6.ifPresent(g -> Attachment.requireFamily(g, false, "gateway6"));
    }

    /** A network without IPv6, as before 2.5. */
    public Network(String name, String id, String driver, Optional<Cidr> subnet, Optional<InetAddress> gateway,
            boolean internal, Map<String, String> options) {
        this(name, id, driver, subnet, gateway, internal, options, Optional.empty(), Optional.empty());
    }

    /** This network with other options. */
    public Network withOptions(Map<String, String> newOptions) {
        return new Network(name, id, driver, subnet, gateway, internal, newOptions, subnet6, gateway6);
    }

    /** Whether the network is dual-stack: its containers get an IPv6 address beside the IPv4 one. */
    public boolean ipv6() {
        return subnet6.isPresent();
    }

    /** An option, if set. */
    public Optional<String> option(String key) {
        return Optional.ofNullable(options.get(key));
    }
}
