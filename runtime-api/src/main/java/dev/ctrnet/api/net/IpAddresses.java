package dev.ctrnet.api.net;

import dev.ctrnet.api.UserInput;
import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Parsing and arithmetic on IP address literals; never performs a DNS lookup. */
public final class IpAddresses {
    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    private IpAddresses() {}

    /**
     * Parses an IPv4 (dotted quad) or IPv6 literal.
     *
     * @throws IllegalArgumentException when the text is not an address literal
     */
    public static InetAddress parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("an IP address is empty");
        }
        boolean v4 = IPV4.matcher(text).matches();
        boolean v6 = text.indexOf(':') >= 0 && text.matches("[0-9a-fA-F:.]+");
        if (!v4 && !v6) {
            throw new IllegalArgumentException(UserInput.quote(text) + " is not an IP address");
        }
        try {
            return InetAddress.getByName(text); // a literal: no lookup happens
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(UserInput.quote(text) + " is not an IP address", e);
        }
    }

    /** The address as an unsigned number. */
    public static BigInteger toNumber(InetAddress address) {
        return new BigInteger(1, address.getAddress());
    }

    /** The address of {@code number}, with as many bytes as {@code family} (4 or 16). */
    public static InetAddress fromNumber(BigInteger number, int bytes) {
        byte[] raw = number.toByteArray();
        byte[] out = new byte[bytes];
        int n = Math.min(raw.length, bytes);
        System.arraycopy(raw, raw.length - n, out, bytes - n, n);
        try {
            return InetAddress.getByAddress(out);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * The literal form, without the host-name part {@link InetAddress#toString()} adds; an IPv6 address in the
     * canonical text form of RFC 5952 ({@code fd00:1::2}, as {@code ip} and {@code nft} print it), not the JDK's
     * full one ({@code fd00:1:0:0:0:0:0:2}).
     */
    public static String format(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] raw = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((raw[2 * i] & 0xff) << 8) | (raw[2 * i + 1] & 0xff);
        }
        // the longest run of two or more zero groups, the first of equal ones, becomes "::"
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    /** The IPv4 wildcard address {@code 0.0.0.0}. */
    public static InetAddress anyIpv4() {
        return fromNumber(BigInteger.ZERO, 4);
    }
}
