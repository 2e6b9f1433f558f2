package dev.ctrnet.core.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * One netlink message ({@code struct nlmsghdr} and its payload) as plain data. The header is in host
 * order; the payload is a family header followed by attributes, built by the {@code *Messages} classes.
 *
 * @param type the message type ({@code RTM_NEWLINK}, {@link #ERROR}, …)
 * @param flags the {@code NLM_F_*} flags
 * @param sequence the sequence number that ties replies to their request
 * @param portId the sender's port id (0 from the kernel's point of view: "to the kernel")
 * @param payload what follows the header, unpadded
 */
record NetlinkMessage(int type, int flags, int sequence, int portId, byte[] payload) {
    static final int HEADER = 16;

    static final int NOOP = 1;
    static final int ERROR = 2;
    static final int DONE = 3;

    static final int F_REQUEST = 0x1;
    static final int F_MULTI = 0x2;
    static final int F_ACK = 0x4;
    static final int F_DUMP_INTR = 0x10;
    static final int F_DUMP = 0x300;
    static final int F_EXCL = 0x200;
    static final int F_CREATE = 0x400;
    /** On a new-object request: replace the existing object of the same key. */
    static final int F_REPLACE = 0x100;
    /** On an error message: the echoed request was cut to its header. */
    static final int F_CAPPED = 0x100;
    /** On an error message: extended-ack attributes follow the echoed request. */
    static final int F_ACK_TLVS = 0x200;

    NetlinkMessage {
        payload = payload.clone();
    }

    /** A request of {@code type} with a family header and attributes, sequence to be set by the socket. */
    static NetlinkMessage request(int type, int flags, byte[] familyHeader, NetlinkAttributes attributes) {
        byte[] body = attributes.encode();
        byte[] payload = Arrays.copyOf(familyHeader, NetlinkAttributes.align(familyHeader.length) + body.length);
        System.arraycopy(body, 0, payload, NetlinkAttributes.align(familyHeader.length), body.length);
        return new NetlinkMessage(type, flags, 0, 0, payload);
    }

    NetlinkMessage withSequence(int flagsToAdd, int newSequence) {
        return new NetlinkMessage(type, flags | flagsToAdd, newSequence, portId, payload);
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The payload for reading, in host order. */
    ByteBuffer body() {
        return ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder());
    }

    /** The attributes that follow a family header of {@code headerSize} bytes. */
    NetlinkAttributes attributes(int headerSize) {
        int start = NetlinkAttributes.align(headerSize);
        if (payload.length < start) {
            throw new MalformedNetlinkException("message of type " + type + " has " + payload.length
                    + " payload bytes, shorter than its " + headerSize + "-byte header");
        }
        return NetlinkAttributes.decode(ByteBuffer.wrap(payload, start, payload.length - start));
    }

    int encodedLength() {
        return HEADER + payload.length;
    }

    byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(NetlinkAttributes.align(encodedLength())).order(ByteOrder.nativeOrder());
        encodeTo(out);
        return out.array();
    }

    void encodeTo(ByteBuffer out) {
        int start = out.position();
        out.putInt(encodedLength());
        out.putShort((short) type);
        out.putShort((short) flags);
        out.putInt(sequence);
        out.putInt(portId);
        out.put(payload);
        out.position(start + NetlinkAttributes.align(encodedLength()));
    }

    /**
     * Decodes every message in {@code in} (one datagram may carry many).
     *
     * @throws MalformedNetlinkException when a length points outside the datagram
     */
    static List<NetlinkMessage> decodeAll(ByteBuffer in) {
        ByteBuffer buffer = in.slice().order(ByteOrder.nativeOrder());
        List<NetlinkMessage> messages = new ArrayList<>();
        while (buffer.hasRemaining()) {
            int start = buffer.position();
            if (buffer.remaining() < HEADER) {
                throw new MalformedNetlinkException(buffer.remaining() + " bytes are too few for a netlink header");
            }
            int length = buffer.getInt();
            int type = Short.toUnsignedInt(buffer.getShort());
            int flags = Short.toUnsignedInt(buffer.getShort());
            int sequence = buffer.getInt();
            int portId = buffer.getInt();
            if (length < HEADER || length > buffer.limit() - start) {
                throw new MalformedNetlinkException("netlink message claims " + Integer.toUnsignedString(length)
                        + " bytes but " + (buffer.limit() - start) + " remain");
            }
            byte[] payload = new byte[length - HEADER];
            buffer.get(payload);
            messages.add(new NetlinkMessage(type, flags, sequence, portId, payload));
            buffer.position(Math.min(buffer.limit(), start + NetlinkAttributes.align(length)));
        }
        return messages;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NetlinkMessage m && m.type == type && m.flags == flags && m.sequence == sequence
                && m.portId == portId && Arrays.equals(m.payload, payload);
    }

    @Override
    public int hashCode() {
        return ((type * 31 + flags) * 31 + sequence) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "NetlinkMessage[type=" + type + ", flags=0x" + Integer.toHexString(flags) + ", seq=" + sequence
                + ", payload=" + HexFormat.of().formatHex(payload) + "]";
    }
}
