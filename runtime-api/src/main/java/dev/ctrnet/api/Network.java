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
 */
public record Network(String name, String id, String driver, Optional<Cidr> subnet, Optional<InetAddress> gateway,
        boolean internal, Map<String, String> options) {
    public Network {
        Names.requireName(name, "network");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(subnet, "subnet");
        Objects.requireNonNull(gateway, "gateway");
        options = Map.copyOf(options);
    }

    /** This network with other options. */
    public Network withOptions(Map<String, String> newOptions) {
        return new Network(name, id, driver, subnet, gateway, internal, newOptions);
    }

    /** An option, if set. */
    public Optional<String> option(String key) {
        return Optional.ofNullable(options.get(key));
    }
}
