package dev.ctrnet.core.kernel;

import dev.ctrnet.api.kernel.Route;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** rtnetlink route messages ({@code RTM_*ROUTE}, {@code struct rtmsg} + {@code RTA_*}), built and read. */
final class RouteMessages {
    static final int RTM_NEWROUTE = 24;
    static final int RTM_DELROUTE = 25;
    static final int RTM_GETROUTE = 26;

    static final int RTA_DST = 1;
    static final int RTA_OIF = 4;
    static final int RTA_GATEWAY = 5;
    static final int RTA_TABLE = 15;

    static final int RT_TABLE_MAIN = 254;
    static final int RTPROT_BOOT = 3;
    static final int RT_SCOPE_UNIVERSE = 0;
    static final int RT_SCOPE_LINK = 253;
    /** On delete: match a route of any scope. */
    static final int RT_SCOPE_NOWHERE = 255;
    static final int RTN_UNICAST = 1;

    private RouteMessages() {
    }

    /**
     * {@code struct rtmsg}.
     *
     * @param family {@code AF_INET} or {@code AF_INET6}
     * @param destinationLength the destination's prefix length
     * @param sourceLength the source's prefix length
     * @param tos type of service
     * @param table the routing table (ids above 255 travel in {@code RTA_TABLE})
     * @param protocol who installed it ({@code RTPROT_*})
     * @param scope {@code RT_SCOPE_*}
     * @param type {@code RTN_*}
     * @param flags {@code RTM_F_*}
     */
    record RtMsg(int family, int destinationLength, int sourceLength, int tos, int table, int protocol, int scope,
            int type, int flags) {
        static final int SIZE = 12;

        byte[] encode() {
            return ByteBuffer.allocate(SIZE).order(ByteOrder.nativeOrder())
                    .put((byte) family).put((byte) destinationLength).put((byte) sourceLength).put((byte) tos)
                    .put((byte) table).put((byte) protocol).put((byte) scope).put((byte) type)
                    .putInt(flags).array();
        }

        static RtMsg decode(NetlinkMessage message) {
            ByteBuffer in = message.body();
            if (in.remaining() < SIZE) {
                throw new MalformedNetlinkException("route message of " + in.remaining() + " bytes has no rtmsg");
            }
            return new RtMsg(Byte.toUnsignedInt(in.get()), Byte.toUnsignedInt(in.get()), Byte.toUnsignedInt(in.get()),
                    Byte.toUnsignedInt(in.get()), Byte.toUnsignedInt(in.get()), Byte.toUnsignedInt(in.get()),
                    Byte.toUnsignedInt(in.get()), Byte.toUnsignedInt(in.get()), in.getInt());
        }
    }

    /**
     * A route as the kernel reports it, before link indexes are turned into names.
     *
     * @param destination the destination prefix
     * @param gateway the next hop
     * @param outputIndex the outgoing link's index
     * @param table the routing table
     * @param type {@code RTN_*}
     */
    record RouteEntry(Cidr destination, Optional<InetAddress> gateway, Optional<Integer> outputIndex, int table,
            int type) {
    }

    /**
     * {@code ip route add} to the main table: static-from-boot like {@code ip}, universe scope through
     * a gateway, link scope when directly connected.
     */
    static NetlinkMessage add(Route route, Optional<Integer> outputIndex) {
        int scope = route.gateway().isPresent() ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
        RtMsg header = new RtMsg(AddressMessages.family(route.destination()), route.destination().prefixLength(), 0, 0,
                RT_TABLE_MAIN, RTPROT_BOOT, scope, RTN_UNICAST, 0);
        return NetlinkMessage.request(RTM_NEWROUTE, NetlinkMessage.F_CREATE | NetlinkMessage.F_EXCL, header.encode(),
                attributes(route, outputIndex));
    }

    /** {@code ip route del} from the main table, whatever its scope or protocol. */
    static NetlinkMessage delete(Route route, Optional<Integer> outputIndex) {
        RtMsg header = new RtMsg(AddressMessages.family(route.destination()), route.destination().prefixLength(), 0, 0,
                RT_TABLE_MAIN, 0, RT_SCOPE_NOWHERE, 0, 0);
        return NetlinkMessage.request(RTM_DELROUTE, 0, header.encode(), attributes(route, outputIndex));
    }

    /** {@code RTM_GETROUTE} of every IPv4 route (sent with {@code NLM_F_DUMP}). */
    static NetlinkMessage dumpIpv4() {
        RtMsg header = new RtMsg(AddressMessages.AF_INET, 0, 0, 0, 0, 0, 0, 0, 0);
        return NetlinkMessage.request(RTM_GETROUTE, 0, header.encode(), new NetlinkAttributes(List.of()));
    }

    private static NetlinkAttributes attributes(Route route, Optional<Integer> outputIndex) {
        List<NetlinkAttribute> attributes = new ArrayList<>();
        if (!route.isDefault()) {
            attributes.add(NetlinkAttribute.ofAddress(RTA_DST, route.destination().address()));
        }
        route.gateway().ifPresent(gateway -> attributes.add(NetlinkAttribute.ofAddress(RTA_GATEWAY, gateway)));
        outputIndex.ifPresent(index -> attributes.add(NetlinkAttribute.ofInt(RTA_OIF, index)));
        return new NetlinkAttributes(attributes);
    }

    /** Reads a route from an {@code RTM_NEWROUTE} the kernel sent. */
    static RouteEntry decode(NetlinkMessage message) {
        RtMsg header = RtMsg.decode(message);
        NetlinkAttributes attributes = message.attributes(RtMsg.SIZE);
        InetAddress destination = attributes.get(RTA_DST).map(NetlinkAttribute::asAddress)
                .orElseGet(() -> header.family() == AddressMessages.AF_INET ? IpAddresses.anyIpv4()
                        : IpAddresses.parse("::"));
        return new RouteEntry(new Cidr(destination, header.destinationLength()),
                attributes.get(RTA_GATEWAY).map(NetlinkAttribute::asAddress),
                attributes.get(RTA_OIF).map(NetlinkAttribute::asInt),
                attributes.get(RTA_TABLE).map(NetlinkAttribute::asInt).orElse(header.table()),
                header.type());
    }
}
