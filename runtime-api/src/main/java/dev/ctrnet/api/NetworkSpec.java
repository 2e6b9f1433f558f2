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
 */
public record NetworkSpec(String name, String driver, Optional<Cidr> subnet, Optional<InetAddress> gateway,
        boolean internal, Map<String, String> options) {
    public NetworkSpec {
        Names.requireName(name, "network");
        Names.requireDriverName(driver, "network driver");
        Objects.requireNonNull(subnet, "subnet");
        Objects.requireNonNull(gateway, "gateway");
        options = Map.copyOf(options);
        subnet.ifPresent(Subnets::requireUsable);
        if (gateway.isPresent() && subnet.isEmpty()) {
            // as Docker: a gateway chosen for a subnet picked from the pool would be a guess
            throw new IllegalArgumentException("--gateway needs --subnet: give the subnet the gateway belongs to");
        }
        if (subnet.isPresent() && gateway.isPresent() && !subnet.get().contains(gateway.get())) {
            throw new IllegalArgumentException("gateway " + gateway.get().getHostAddress() + " is outside subnet "
                    + subnet.get().network());
        }
    }
}
