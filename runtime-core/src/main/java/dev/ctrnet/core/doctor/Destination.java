package dev.ctrnet.core.doctor;

import dev.ctrnet.api.UserInput;
import dev.ctrnet.api.net.IpAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Where {@code ctrnet doctor --to} checks a path to: an IPv4 address, and a port.
 *
 * @param address the address
 * @param port the port, if given
 */
public record Destination(InetAddress address, OptionalInt port) {
    public Destination {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(port, "port");
        port.ifPresent(p -> {
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("port " + p + " is not between 1 and 65535");
            }
        });
    }

    /** {@code ADDR} or {@code ADDR:PORT}, as {@code --to} takes it. */
    public static Destination parse(String text) {
        int colon = text.indexOf(':');
        String address = colon < 0 ? text : text.substring(0, colon);
        OptionalInt port = OptionalInt.empty();
        InetAddress parsed;
        try {
            parsed = IpAddresses.parse(address);
            if (colon >= 0) {
                port = OptionalInt.of(Integer.parseInt(text.substring(colon + 1)));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--to " + UserInput.quote(text) + " is not ADDR or ADDR:PORT (an IPv4 address, a port)");
        }
        if (!(parsed instanceof Inet4Address)) {
            throw new IllegalArgumentException("--to " + UserInput.quote(text) + ": only IPv4 paths are checked for now");
        }
        return new Destination(parsed, port);
    }

    @Override
    public String toString() {
        return IpAddresses.format(address) + (port.isPresent() ? ":" + port.getAsInt() : "");
    }
}
