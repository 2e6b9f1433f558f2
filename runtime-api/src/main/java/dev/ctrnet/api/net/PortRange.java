package dev.ctrnet.api.net;

import dev.ctrnet.api.UserInput;
/**
 * An inclusive range of ports, {@code first..last}; a single port has {@code first == last}.
 *
 * @param first the first port, 1–65535
 * @param last the last port, {@code >= first}
 */
public record PortRange(int first, int last) {
    public PortRange {
        if (first < 1 || first > 65535 || last < 1 || last > 65535) {
            throw new IllegalArgumentException("a port is a number from 1 to 65535");
        }
        if (last < first) {
            throw new IllegalArgumentException("port range " + first + "-" + last + " ends before it starts");
        }
    }

    /** A single port. */
    public static PortRange of(int port) {
        return new PortRange(port, port);
    }

    /** Parses {@code PORT} or {@code FIRST-LAST}. */
    public static PortRange parse(String text) {
        if (text == null || !text.matches("\\d{1,5}(-\\d{1,5})?")) {
            throw new IllegalArgumentException(UserInput.quote(text) + " is not a port or a port range such as 8000-8009");
        }
        int dash = text.indexOf('-');
        if (dash < 0) {
            return of(Integer.parseInt(text));
        }
        return new PortRange(Integer.parseInt(text.substring(0, dash)), Integer.parseInt(text.substring(dash + 1)));
    }

    /** How many ports the range holds. */
    public int size() {
        return last - first + 1;
    }

    /** Whether the two ranges share a port. */
    public boolean overlaps(PortRange other) {
        return first <= other.last && other.first <= last;
    }

    @Override
    public String toString() {
        return first == last ? Integer.toString(first) : first + "-" + last;
    }
}
