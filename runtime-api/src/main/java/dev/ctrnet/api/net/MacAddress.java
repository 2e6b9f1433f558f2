package dev.ctrnet.api.net;

import dev.ctrnet.api.UserInput;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A 48-bit Ethernet address.
 *
 * @param value the address in the low 48 bits
 */
public record MacAddress(long value) {
    public MacAddress {
        if ((value >>> 48) != 0) {
            throw new IllegalArgumentException("a MAC address has 48 bits");
        }
    }

    /** Parses {@code aa:bb:cc:dd:ee:ff} (case-insensitive). */
    public static MacAddress parse(String text) {
        if (text == null || !text.matches("(?i)[0-9a-f]{2}(:[0-9a-f]{2}){5}")) {
            throw new IllegalArgumentException(UserInput.quote(text) + " is not a MAC address such as 02:42:0a:58:00:02");
        }
        return new MacAddress(Long.parseLong(text.replace(":", ""), 16));
    }

    /** The address from six bytes in network order. */
    public static MacAddress of(byte[] bytes) {
        if (bytes.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, not " + bytes.length);
        }
        long v = 0;
        for (byte b : bytes) {
            v = (v << 8) | (b & 0xff);
        }
        return new MacAddress(v);
    }

    /**
     * A locally administered unicast address derived from an IPv4 address ({@code 02:42:} followed by
     * the four address bytes), as Docker does, so that the same IP always gets the same MAC.
     */
    public static MacAddress derivedFrom(InetAddress ipv4) {
        if (!(ipv4 instanceof Inet4Address)) {
            throw new IllegalArgumentException("a MAC is derived from an IPv4 address");
        }
        byte[] a = ipv4.getAddress();
        return of(new byte[] {0x02, 0x42, a[0], a[1], a[2], a[3]});
    }

    /** The six bytes in network order. */
    public byte[] bytes() {
        byte[] out = new byte[6];
        for (int i = 0; i < 6; i++) {
            out[i] = (byte) (value >>> (8 * (5 - i)));
        }
        return out;
    }

    @Override
    public String toString() {
        return HexFormat.ofDelimiter(":").formatHex(bytes()).toLowerCase(Locale.ROOT);
    }
}
