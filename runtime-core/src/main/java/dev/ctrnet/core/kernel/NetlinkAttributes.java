package dev.ctrnet.core.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An ordered list of netlink attributes and its wire format: each attribute is a 4-byte header
 * ({@code nla_len}, {@code nla_type}, host order) followed by its value, padded to 4 bytes;
 * {@code nla_len} counts header and value but not the padding.
 *
 * @param all the attributes, in wire order
 */
record NetlinkAttributes(List<NetlinkAttribute> all) {
    static final int HEADER = 4;
    static final int ALIGN = 4;

    NetlinkAttributes {
        all = List.copyOf(all);
    }

    static int align(int length) {
        return (length + ALIGN - 1) & ~(ALIGN - 1);
    }

    /** The first attribute of that type (flags ignored). */
    Optional<NetlinkAttribute> get(int kind) {
        // a loop, not a stream: every reply decoded asks for several attributes among dozens
        for (NetlinkAttribute attribute : all) {
            if (attribute.kind() == kind) {
                return Optional.of(attribute);
            }
        }
        return Optional.empty();
    }

    int encodedLength() {
        int length = 0;
        for (NetlinkAttribute attribute : all) {
            length += align(HEADER + attribute.value().length);
        }
        return length;
    }

    byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(encodedLength()).order(ByteOrder.nativeOrder());
        encodeTo(out);
        return out.array();
    }

    void encodeTo(ByteBuffer out) {
        for (NetlinkAttribute attribute : all) {
            byte[] value = attribute.value();
            int start = out.position();
            out.putShort((short) (HEADER + value.length));
            out.putShort((short) attribute.type());
            out.put(value);
            out.position(start + align(HEADER + value.length));
        }
    }

    /**
     * Decodes every attribute from {@code in}'s position to its limit. Every step advances by at
     * least one header, so malformed input ends in an exception, never a loop.
     *
     * @throws MalformedNetlinkException when a length points outside the input
     */
    static NetlinkAttributes decode(ByteBuffer in) {
        ByteBuffer buffer = in.slice().order(ByteOrder.nativeOrder());
        List<NetlinkAttribute> attributes = new ArrayList<>();
        while (buffer.remaining() >= HEADER) {
            int start = buffer.position();
            int length = Short.toUnsignedInt(buffer.getShort());
            int type = Short.toUnsignedInt(buffer.getShort());
            if (length < HEADER || length > buffer.limit() - start) {
                throw new MalformedNetlinkException("attribute " + (type & NetlinkAttribute.TYPE_MASK)
                        + " claims " + length + " bytes but " + (buffer.limit() - start) + " remain");
            }
            byte[] value = new byte[length - HEADER];
            buffer.get(value);
            attributes.add(new NetlinkAttribute(type, value));
            buffer.position(Math.min(buffer.limit(), start + align(length)));
        }
        if (buffer.hasRemaining()) {
            throw new MalformedNetlinkException(buffer.remaining() + " stray bytes after the last attribute");
        }
        return new NetlinkAttributes(attributes);
    }
}
