package dev.ctrnet.core.kernel;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * One netlink attribute ({@code struct nlattr}): a 16-bit type and a value, as plain data. Nested
 * attributes are attributes whose value is itself an encoded attribute list.
 *
 * @param type the type as sent on the wire, flags ({@link #NESTED}) included
 * @param value the payload, without header or padding
 */
record NetlinkAttribute(int type, byte[] value) {
    /** {@code NLA_F_NESTED}: the value is a list of attributes. */
    static final int NESTED = 0x8000;
    /** {@code NLA_TYPE_MASK}: the type without its flags. */
    static final int TYPE_MASK = 0x3fff;

    NetlinkAttribute {
        if (type < 0 || type > 0xffff) {
            throw new IllegalArgumentException("attribute type " + type + " does not fit 16 bits");
        }
        if (value.length > 0xffff - NetlinkAttributes.HEADER) {
            throw new IllegalArgumentException("attribute value of " + value.length + " bytes is too long");
        }
        value = value.clone();
    }

    static NetlinkAttribute ofInt(int type, int value) {
        return new NetlinkAttribute(type, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array());
    }

    static NetlinkAttribute ofByte(int type, int value) {
        return new NetlinkAttribute(type, new byte[] {(byte) value});
    }

    /** A NUL-terminated string, as the kernel wants names. */
    static NetlinkAttribute ofString(int type, String value) {
        byte[] text = value.getBytes(StandardCharsets.UTF_8);
        return new NetlinkAttribute(type, Arrays.copyOf(text, text.length + 1));
    }

    /** An IP address in network order. */
    static NetlinkAttribute ofAddress(int type, InetAddress address) {
        return new NetlinkAttribute(type, address.getAddress());
    }

    /** A nested attribute list, flagged {@code NLA_F_NESTED}. */
    static NetlinkAttribute nested(int type, List<NetlinkAttribute> children) {
        return new NetlinkAttribute(type | NESTED, new NetlinkAttributes(children).encode());
    }

    /** A nested value that starts with a fixed header (as {@code VETH_INFO_PEER} carries an ifinfomsg). */
    static NetlinkAttribute nested(int type, byte[] header, List<NetlinkAttribute> children) {
        byte[] body = new NetlinkAttributes(children).encode();
        byte[] value = Arrays.copyOf(header, header.length + body.length);
        System.arraycopy(body, 0, value, header.length, body.length);
        return new NetlinkAttribute(type | NESTED, value);
    }

    /** The type without flags. */
    int kind() {
        return type & TYPE_MASK;
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    int asInt() {
        requireLength(4);
        return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getInt();
    }

    int asByte() {
        requireLength(1);
        return value[0] & 0xff;
    }

    /** The string up to its NUL terminator (or the whole value when it has none). */
    String asString() {
        return nulTerminated(value, value.length);
    }

    /** The C string in the first {@code limit} bytes of {@code bytes}: up to its NUL, or all of them without one. */
    static String nulTerminated(byte[] bytes, int limit) {
        int end = 0;
        while (end < limit && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    InetAddress asAddress() {
        if (value.length != 4 && value.length != 16) {
            throw new MalformedNetlinkException("attribute " + kind() + " holds " + value.length
                    + " bytes, not an IP address");
        }
        try {
            return InetAddress.getByAddress(value);
        } catch (UnknownHostException e) {
            throw new MalformedNetlinkException("attribute " + kind() + " is not an IP address");
        }
    }

    /** The value decoded as a nested attribute list. */
    NetlinkAttributes children() {
        return NetlinkAttributes.decode(ByteBuffer.wrap(value));
    }

    private void requireLength(int length) {
        if (value.length < length) {
            throw new MalformedNetlinkException("attribute " + kind() + " holds " + value.length
                    + " bytes, expected " + length);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NetlinkAttribute a && a.type == type && Arrays.equals(a.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "NetlinkAttribute[type=" + type + ", value=" + HexFormat.of().formatHex(value) + "]";
    }
}
