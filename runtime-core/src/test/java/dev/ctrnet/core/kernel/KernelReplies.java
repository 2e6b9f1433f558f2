package dev.ctrnet.core.kernel;

import dev.ctrnet.api.kernel.Link;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Messages as the kernel sends them, built from the same primitives, to feed the decoders. */
final class KernelReplies {
    private KernelReplies() {
    }

    /** An {@code RTM_NEWLINK} of a dump reply. */
    static NetlinkMessage link(Link link) {
        List<NetlinkAttribute> attributes = new ArrayList<>();
        attributes.add(NetlinkAttribute.ofString(LinkMessages.IFLA_IFNAME, link.name()));
        attributes.add(NetlinkAttribute.ofInt(LinkMessages.IFLA_MTU, link.mtu()));
        link.mac().ifPresent(mac -> attributes.add(new NetlinkAttribute(LinkMessages.IFLA_ADDRESS, mac.bytes())));
        link.masterIndex().ifPresent(i -> attributes.add(NetlinkAttribute.ofInt(LinkMessages.IFLA_MASTER, i)));
        link.kind().ifPresent(kind -> attributes.add(NetlinkAttribute.nested(LinkMessages.IFLA_LINKINFO,
                List.of(NetlinkAttribute.ofString(LinkMessages.IFLA_INFO_KIND, kind)))));
        LinkMessages.IfInfo header = new LinkMessages.IfInfo(0, 1, link.index(), link.up() ? 0x1043 : 0x1002, 0);
        return new NetlinkMessage(LinkMessages.RTM_NEWLINK, NetlinkMessage.F_MULTI, 5, 77,
                NetlinkMessage.request(0, 0, header.encode(), new NetlinkAttributes(attributes)).payload());
    }

    /** An {@code NLMSG_ERROR} answering {@code request}, with extended-ack text when given. */
    static NetlinkMessage error(int errno, NetlinkMessage request, Optional<String> text, boolean capped) {
        byte[] echoed = capped ? Arrays.copyOf(request.encode(), NetlinkMessage.HEADER) : request.encode();
        byte[] tlvs = text.map(t -> new NetlinkAttributes(List.of(NetlinkAttribute.ofString(Acknowledgement.ATTR_MSG, t)))
                .encode()).orElse(new byte[0]);
        ByteBuffer payload = ByteBuffer.allocate(4 + echoed.length + tlvs.length).order(ByteOrder.nativeOrder());
        payload.putInt(-errno).put(echoed).put(tlvs);
        int flags = (capped ? NetlinkMessage.F_CAPPED : 0) | (text.isPresent() ? NetlinkMessage.F_ACK_TLVS : 0);
        return new NetlinkMessage(NetlinkMessage.ERROR, flags, request.sequence(), 77, payload.array());
    }
}
