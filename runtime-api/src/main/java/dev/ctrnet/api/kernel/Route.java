package dev.ctrnet.api.kernel;

import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A unicast route.
 *
 * @param destination where it leads; {@code 0.0.0.0/0} is the default route
 * @param gateway the next hop, or none for a directly connected destination
 * @param device the outgoing link's name, or none to let the kernel pick it from the gateway
 * @param scope how far the destination is; {@link RouteScope#UNIVERSE} or {@link RouteScope#SITE} through a
 *     gateway (the kernel refuses a gateway at a nearer scope)
 * @param onlink whether the gateway is taken to be on the device's link even though no address of the device
 *     is in its subnet ({@code ip route … onlink}, as routed drivers reach a gateway they did not number);
 *     needs a gateway and a device
 * @param metric the route's priority among routes to the same destination, lower first ({@code metric});
 *     0 asks for the kernel's default (0 for IPv4, 1024 for IPv6)
 * @param table the routing table, 1 to 2<sup>31</sup>−1 ({@code table}); {@link #MAIN_TABLE} by default
 * @since 2.6 (scope, onlink, metric and table; the three-part constructor stays)
 */
public record Route(Cidr destination, Optional<InetAddress> gateway, Optional<String> device, RouteScope scope,
        boolean onlink, int metric, int table) {
    /** The main table, where {@code ip route} adds and shows routes unless told otherwise. */
    public static final int MAIN_TABLE = 254;

    public Route {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(scope, "scope");
        if (gateway.isEmpty() && device.isEmpty()) {
            throw new IllegalArgumentException("a route needs a gateway or a device");
        }
        if (gateway.isPresent() && (scope == RouteScope.LINK || scope == RouteScope.HOST)) {
            throw new IllegalArgumentException("a route through a gateway cannot have scope "
                    + scope.name().toLowerCase(java.util.Locale.ROOT) + ": the gateway itself is further than that");
        }
        if (onlink && (gateway.isEmpty() || device.isEmpty())) {
            throw new IllegalArgumentException("an onlink route needs a gateway and a device: onlink says the gateway"
                    + " is on that device's link");
        }
        if (metric < 0) {
            throw new IllegalArgumentException("a route's metric is 0 or more, not " + metric);
        }
        if (table < 1) {
            throw new IllegalArgumentException("a routing table is numbered from 1, not " + table);
        }
        if (gateway.isPresent() && gateway.get().getAddress().length != destination.address().getAddress().length) {
            throw new IllegalArgumentException("gateway " + IpAddresses.format(gateway.get())
                    + " is not of the family of " + destination);
        }
        destination = destination.network();
    }

    /**
     * A route in the main table with the kernel's default metric: universe scope through a gateway, link scope
     * when directly connected (what {@code ip route add} does).
     */
    public Route(Cidr destination, Optional<InetAddress> gateway, Optional<String> device) {
        this(destination, gateway, device, defaultScope(gateway), false, 0, MAIN_TABLE);
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

    /** This route with another scope. @since 2.6 */
    public Route withScope(RouteScope value) {
        return new Route(destination, gateway, device, value, onlink, metric, table);
    }

    /** This route with its gateway taken to be on its device's link. @since 2.6 */
    public Route withOnlink() {
        return new Route(destination, gateway, device, scope, true, metric, table);
    }

    /** This route with another metric. @since 2.6 */
    public Route withMetric(int value) {
        return new Route(destination, gateway, device, scope, onlink, value, table);
    }

    /** This route in another table. @since 2.6 */
    public Route inTable(int value) {
        return new Route(destination, gateway, device, scope, onlink, metric, value);
    }

    private static RouteScope defaultScope(Optional<InetAddress> gateway) {
        return Objects.requireNonNull(gateway, "gateway").isPresent() ? RouteScope.UNIVERSE : RouteScope.LINK;
    }
}
