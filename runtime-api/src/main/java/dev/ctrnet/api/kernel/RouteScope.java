package dev.ctrnet.api.kernel;

import java.util.Arrays;
import java.util.Optional;

/**
 * How far a route's destination is ({@code ip route … scope}): the kernel uses it to pick a source address
 * and to check that a gateway is reachable. IPv6 routes have none (the kernel reports them all as
 * {@link #UNIVERSE}).
 *
 * @since 2.6
 */
public enum RouteScope {
    /** Anywhere, through a gateway or not ({@code scope global}). */
    UNIVERSE(0),
    /** Within this site (an IPv4 scope the kernel keeps but seldom sees used). */
    SITE(200),
    /** On the link itself: directly connected, no gateway ({@code scope link}). */
    LINK(253),
    /** This host ({@code scope host}). */
    HOST(254);

    private final int value;

    RouteScope(int value) {
        this.value = value;
    }

    /** The kernel's {@code RT_SCOPE_*} value. */
    public int value() {
        return value;
    }

    /** The scope with the kernel's value {@code value}, if it is one of these. */
    public static Optional<RouteScope> ofValue(int value) {
        return Arrays.stream(values()).filter(s -> s.value == value).findFirst();
    }
}
