package dev.ctrnet.api;

import dev.ctrnet.api.net.Cidr;
import java.net.InetAddress;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a user asked for when creating a network ({@code ctrnet network create}).
 *
 * @param name the network's name
 * @param driver the driver's name
 * @param subnet the subnet, or none to let the runtime pick one from its pool
 * @param gateway the gateway, or none for the subnet's first address
 * @param internal whether the network is cut off from the outside world
 * @param options driver options ({@code --opt KEY=VALUE})
 */
public record NetworkSpec(String name, String driver, Optional<Cidr> subnet, Optional<InetAddress> gateway,
        boolean internal, Map<String, String> options) {
    public NetworkSpec {
        Names.requireName(name, "network");
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(subnet, "subnet");
        Objects.requireNonNull(gateway, "gateway");
        options = Map.copyOf(options);
        if (subnet.isPresent() && gateway.isPresent() && !subnet.get().contains(gateway.get())) {
            throw new IllegalArgumentException("gateway " + gateway.get().getHostAddress() + " is outside subnet "
                    + subnet.get().network());
        }
    }
}
