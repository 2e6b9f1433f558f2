package dev.ctrnet.api.kernel;

import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A route in the main table.
 *
 * @param destination where it leads; {@code 0.0.0.0/0} is the default route
 * @param gateway the next hop, or none for a directly connected destination
 * @param device the outgoing link's name, or none to let the kernel pick it from the gateway
 */
public record Route(Cidr destination, Optional<InetAddress> gateway, Optional<String> device) {
    public Route {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(device, "device");
        if (gateway.isEmpty() && device.isEmpty()) {
            throw new IllegalArgumentException("a route needs a gateway or a device");
        }
        destination = destination.network();
    }

    /** The default route via {@code gateway}: {@code 0.0.0.0/0} or, for an IPv6 gateway, {@code ::/0}. */
    public static Route defaultVia(InetAddress gateway) {
        Cidr any = new Cidr(IpAddresses.fromNumber(BigInteger.ZERO, gateway.getAddress().length), 0);
        return new Route(any, Optional.of(gateway), Optional.empty());
    }

    /** Whether this is a default route. */
    public boolean isDefault() {
        return destination.prefixLength() == 0;
    }
}
