package dev.ctrnet.core.kernel;

import dev.ctrnet.api.kernel.Route;
import dev.ctrnet.api.kernel.RouteScope;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/** rtnetlink route messages ({@code RTM_*ROUTE}, {@code struct rtmsg} + {@code RTA_*}), built and read. */
final class RouteMessages {
    static final int RTM_NEWROUTE = 24;
    static final int RTM_DELROUTE = 25;
    static final int RTM_GETROUTE = 26;

    static final int RTA_DST = 1;
    static final int RTA_OIF = 4;
    static final int RTA_GATEWAY = 5;
    static final int RTA_PRIORITY = 6;
    static final int RTA_TABLE = 15;

    static final int RT_TABLE_UNSPEC = 0;
    static final int RTPROT_BOOT = 3;
    /** On delete: match a route of any scope. */
    static final int RT_SCOPE_NOWHERE = 255;
    static final int RTN_UNICAST = 1;
    /** A next hop's flag (in {@code rtm_flags} for a route with one): the gateway is on the link, whatever its addresses. */
    static final int RTNH_F_ONLINK = 4;
    /** {@code rtm_flags} of a look-up: answer with the table entry that matched, not the route cache's view. */
    static final int RTM_F_FIB_MATCH = 0x2000;
    /** {@code rtm_flags} of a look-up: name the table the entry was found in (IPv4 says "main" without it). */
    static final int RTM_F_LOOKUP_TABLE = 0x1000;

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
     * @param flags {@code RTM_F_*}, and the next hop's {@code RTNH_F_*}
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
     * @param scope {@code RT_SCOPE_*}
     * @param metric {@code RTA_PRIORITY}, 0 when absent
     * @param onlink whether the next hop carries {@code RTNH_F_ONLINK}
     */
    record RouteEntry(Cidr destination, Optional<InetAddress> gateway, Optional<Integer> outputIndex, int table,
            int type, int scope, int metric, boolean onlink) {
        /**
         * Whether a {@link Route} can say what this is: a unicast route with one next hop (a multipath route
         * names its hops in {@code RTA_MULTIPATH}) and a scope {@link RouteScope} knows, which a gateway allows.
         */
        boolean representable() {
            Optional<RouteScope> known = RouteScope.ofValue(scope);
            boolean nearScope = known.equals(Optional.of(RouteScope.LINK)) || known.equals(Optional.of(RouteScope.HOST));
            return type == RTN_UNICAST && (gateway.isPresent() || outputIndex.isPresent()) && known.isPresent()
                    && !(gateway.isPresent() && nearScope);
        }

        /** As a {@link Route}, its outgoing link named by {@code names}. */
        Route toRoute(IntFunction<String> names) {
            return new Route(destination, gateway, outputIndex.map(names::apply),
                    RouteScope.ofValue(scope).orElseThrow(), onlink && gateway.isPresent() && outputIndex.isPresent(),
                    metric, table);
        }
    }

    /** {@code ip route add}: refused (EEXIST) when a route of the same table, destination and metric is there. */
    static NetlinkMessage add(Route route, Optional<Integer> outputIndex) {
        return newRoute(route, outputIndex, NetlinkMessage.F_CREATE | NetlinkMessage.F_EXCL);
    }

    /** {@code ip route replace}: the route of the same table, destination and metric is replaced, or one is made. */
    static NetlinkMessage replace(Route route, Optional<Integer> outputIndex) {
        return newRoute(route, outputIndex, NetlinkMessage.F_CREATE | NetlinkMessage.F_REPLACE);
    }

    /** {@code RTM_NEWROUTE}, static-from-boot as {@code ip} makes it. */
    private static NetlinkMessage newRoute(Route route, Optional<Integer> outputIndex, int flags) {
        RtMsg header = new RtMsg(AddressMessages.family(route.destination()), route.destination().prefixLength(), 0, 0,
                headerTable(route.table()), RTPROT_BOOT, route.scope().value(), RTN_UNICAST,
                route.onlink() ? RTNH_F_ONLINK : 0);
        return NetlinkMessage.request(RTM_NEWROUTE, flags, header.encode(), attributes(route, outputIndex));
    }

    /** {@code ip route del} from the route's table, whatever its scope or protocol (and metric, when it has none). */
    static NetlinkMessage delete(Route route, Optional<Integer> outputIndex) {
        RtMsg header = new RtMsg(AddressMessages.family(route.destination()), route.destination().prefixLength(), 0, 0,
                headerTable(route.table()), 0, RT_SCOPE_NOWHERE, 0, 0);
        return NetlinkMessage.request(RTM_DELROUTE, 0, header.encode(), attributes(route, outputIndex));
    }

    /**
     * {@code RTM_GETROUTE} of the routes of {@code family} in {@code table} (sent with {@code NLM_F_DUMP}); on a
     * socket with strict checking the kernel sends that table's only.
     */
    static NetlinkMessage dump(int family, int table) {
        RtMsg header = new RtMsg(family, 0, 0, 0, headerTable(table), 0, 0, 0, 0);
        return NetlinkMessage.request(RTM_GETROUTE, 0, header.encode(),
                new NetlinkAttributes(List.of(NetlinkAttribute.ofInt(RTA_TABLE, table))));
    }

    /** {@code ip route get fibmatch ADDRESS}: the table entry the kernel would route {@code destination} by. */
    static NetlinkMessage fibMatch(InetAddress destination) {
        int length = destination.getAddress().length;
        int family = length == 4 ? AddressMessages.AF_INET : AddressMessages.AF_INET6;
        // IPv6 names the entry's own table, and refuses the flag that asks for it
        int flags = RTM_F_FIB_MATCH | (family == AddressMessages.AF_INET ? RTM_F_LOOKUP_TABLE : 0);
        RtMsg header = new RtMsg(family, length * 8, 0, 0, 0, 0, 0, 0, flags);
        return NetlinkMessage.request(RTM_GETROUTE, 0, header.encode(),
                new NetlinkAttributes(List.of(NetlinkAttribute.ofAddress(RTA_DST, destination))));
    }

    /** The table in {@code rtmsg}, which holds 8 bits: larger ids travel in {@code RTA_TABLE} alone. */
    private static int headerTable(int table) {
        return table < 256 ? table : RT_TABLE_UNSPEC;
    }

    private static NetlinkAttributes attributes(Route route, Optional<Integer> outputIndex) {
        List<NetlinkAttribute> attributes = new ArrayList<>();
        if (!route.isDefault()) {
            attributes.add(NetlinkAttribute.ofAddress(RTA_DST, route.destination().address()));
        }
        route.gateway().ifPresent(gateway -> attributes.add(NetlinkAttribute.ofAddress(RTA_GATEWAY, gateway)));
        outputIndex.ifPresent(index -> attributes.add(NetlinkAttribute.ofInt(RTA_OIF, index)));
        if (route.metric() != 0) {
            attributes.add(NetlinkAttribute.ofInt(RTA_PRIORITY, route.metric()));
        }
        attributes.add(NetlinkAttribute.ofInt(RTA_TABLE, route.table()));
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
                header.type(), header.scope(),
                attributes.get(RTA_PRIORITY).map(NetlinkAttribute::asInt).orElse(0),
                (header.flags() & RTNH_F_ONLINK) != 0);
    }
}
