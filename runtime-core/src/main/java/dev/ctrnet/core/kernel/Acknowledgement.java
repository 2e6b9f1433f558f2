package dev.ctrnet.core.kernel;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The kernel's answer to a request ({@code NLMSG_ERROR}): errno 0 for success, and the
 * extended-ack text ({@code NLMSGERR_ATTR_MSG}) when the kernel explains a failure.
 *
 * @param errno the error number, positive, or 0
 * @param kernelMessage the kernel's own explanation, if it gave one
 */
record Acknowledgement(int errno, Optional<String> kernelMessage) {
    static final int ATTR_MSG = 1;

    boolean ok() {
        return errno == 0;
    }

    /** Decodes the payload of an {@code NLMSG_ERROR} (or the error code of an {@code NLMSG_DONE}). */
    static Acknowledgement decode(NetlinkMessage message) {
        ByteBuffer body = message.body();
        if (body.remaining() < 4) {
            throw new MalformedNetlinkException("acknowledgement of " + body.remaining() + " bytes has no error code");
        }
        int errno = -body.getInt();
        if (message.type() != NetlinkMessage.ERROR || (message.flags() & NetlinkMessage.F_ACK_TLVS) == 0) {
            return new Acknowledgement(errno, Optional.empty());
        }
        // The request is echoed after the code: its header only when capped, whole otherwise.
        if (body.remaining() < NetlinkMessage.HEADER) {
            throw new MalformedNetlinkException("acknowledgement does not echo the request's header");
        }
        int echoed = (message.flags() & NetlinkMessage.F_CAPPED) != 0 ? NetlinkMessage.HEADER : body.getInt(4);
        int tlvs = 4 + NetlinkAttributes.align(echoed);
        if (echoed < NetlinkMessage.HEADER || tlvs > body.limit()) {
            throw new MalformedNetlinkException("acknowledgement echoes " + echoed + " bytes of a "
                    + body.limit() + "-byte message");
        }
        Optional<String> text = NetlinkAttributes.decode(body.position(tlvs)).get(ATTR_MSG)
                .map(NetlinkAttribute::asString)
                .filter(s -> !s.isBlank());
        return new Acknowledgement(errno, text);
    }
}
