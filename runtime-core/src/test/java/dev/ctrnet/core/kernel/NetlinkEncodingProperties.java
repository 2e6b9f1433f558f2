package dev.ctrnet.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.kernel.InterfaceAddress;
import dev.ctrnet.api.kernel.Link;
import dev.ctrnet.api.kernel.LinkKind;
import dev.ctrnet.api.kernel.LinkRequest;
import dev.ctrnet.api.kernel.NetworkNamespace;
import dev.ctrnet.api.kernel.Route;
import dev.ctrnet.api.kernel.RouteScope;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.MacAddress;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The wire format: attributes, messages, and every request and reply kind, encoded and decoded. */
class NetlinkEncodingProperties {

    @Property
    void everyAttributeIsHeaderValueAndPaddingToFourBytes(@ForAll("attributeLists") List<NetlinkAttribute> list) {
        byte[] wire = new NetlinkAttributes(list).encode();
        ByteBuffer in = ByteBuffer.wrap(wire).order(ByteOrder.nativeOrder());
        for (NetlinkAttribute attribute : list) {
            int start = in.position();
            assertEquals(start % 4, 0, "every attribute starts aligned");
            assertEquals(4 + attribute.value().length, Short.toUnsignedInt(in.getShort(start)));
            assertEquals(attribute.type(), Short.toUnsignedInt(in.getShort(start + 2)));
            int padded = (4 + attribute.value().length + 3) / 4 * 4;
            for (int i = start + 4 + attribute.value().length; i < start + padded; i++) {
                assertEquals(0, wire[i], "padding is zero");
            }
            in.position(start + padded);
        }
        assertEquals(wire.length, in.position());
    }

    @Property
    void attributesRoundTrip(@ForAll("attributeLists") List<NetlinkAttribute> list) {
        NetlinkAttributes attributes = new NetlinkAttributes(list);
        assertEquals(attributes, NetlinkAttributes.decode(ByteBuffer.wrap(attributes.encode())));
    }

    @Property
    void nestedAttributesRoundTrip(@ForAll("attributeLists") List<NetlinkAttribute> inner,
            @ForAll("attributeLists") List<NetlinkAttribute> outer, @ForAll @IntRange(max = 0x3fff) int type) {
        NetlinkAttribute nested = NetlinkAttribute.nested(type, List.of(NetlinkAttribute.nested(1, inner)));
        List<NetlinkAttribute> all = new ArrayList<>(outer);
        all.add(nested);
        NetlinkAttribute decoded = NetlinkAttributes.decode(ByteBuffer.wrap(new NetlinkAttributes(all).encode()))
                .all().get(outer.size());
        assertEquals(type, decoded.kind());
        assertTrue((decoded.type() & NetlinkAttribute.NESTED) != 0);
        assertEquals(inner, decoded.children().get(1).orElseThrow().children().all());
    }

    @Property
    void messagesRoundTrip(@ForAll("messages") List<NetlinkMessage> messages) {
        ByteBuffer out = ByteBuffer.allocate(messages.stream().mapToInt(m -> m.encode().length).sum());
        messages.forEach(m -> out.put(m.encode()));
        assertEquals(messages, NetlinkMessage.decodeAll(ByteBuffer.wrap(out.array())));
    }

    @Property
    void truncatedInputFailsClearly(@ForAll("messages") List<NetlinkMessage> messages, @ForAll @IntRange(min = 1) int cut) {
        ByteBuffer out = ByteBuffer.allocate(messages.stream().mapToInt(m -> m.encode().length).sum());
        messages.forEach(m -> out.put(m.encode()));
        byte[] wire = out.array();
        int length = cut % wire.length;
        ByteBuffer truncated = ByteBuffer.wrap(wire, 0, length);
        boolean onBoundary = isBoundary(messages, length);
        if (onBoundary) {
            NetlinkMessage.decodeAll(truncated);
        } else {
            assertThrows(MalformedNetlinkException.class, () -> NetlinkMessage.decodeAll(truncated));
        }
    }

    @Property
    void arbitraryBytesNeverLoopOrCrashOtherwise(@ForAll @Size(max = 200) byte[] garbage) {
        try {
            NetlinkMessage.decodeAll(ByteBuffer.wrap(garbage)).forEach(m -> m.attributes(0));
        } catch (MalformedNetlinkException expected) {
            assertTrue(expected.getMessage().length() > 10);
        }
    }

    @Property
    void linkCreateRequestsCarryWhatWasAsked(@ForAll("linkRequests") LinkRequest request,
            @ForAll @IntRange(min = 1, max = 1000) int fd) {
        LinkMessages.References refs = new LinkMessages.References(request.master().map(m -> 7), Optional.empty(),
                request.namespace().map(ns -> fd), Optional.of(fd + 1));
        NetlinkMessage message = roundTrip(LinkMessages.create(request, refs));
        assertEquals(LinkMessages.RTM_NEWLINK, message.type());
        assertEquals(NetlinkMessage.F_CREATE | NetlinkMessage.F_EXCL, message.flags());
        assertEquals(request.up() ? LinkMessages.IFF_UP : 0, LinkMessages.IfInfo.decode(message).flags());
        NetlinkAttributes attributes = message.attributes(LinkMessages.IfInfo.SIZE);
        assertEquals(request.name(), attributes.get(LinkMessages.IFLA_IFNAME).orElseThrow().asString());
        assertEquals(request.mtu(), attributes.get(LinkMessages.IFLA_MTU).map(NetlinkAttribute::asInt));
        assertEquals(request.mac(), attributes.get(LinkMessages.IFLA_ADDRESS).map(a -> MacAddress.of(a.value())));
        assertEquals(refs.masterIndex(), attributes.get(LinkMessages.IFLA_MASTER).map(NetlinkAttribute::asInt));
        assertEquals(refs.namespaceFd(), attributes.get(LinkMessages.IFLA_NET_NS_FD).map(NetlinkAttribute::asInt));
        NetlinkAttributes info = attributes.get(LinkMessages.IFLA_LINKINFO).orElseThrow().children();
        assertEquals(request.kind().kernelName(), info.get(LinkMessages.IFLA_INFO_KIND).orElseThrow().asString());
        if (request.kind() instanceof LinkKind.Veth veth) {
            byte[] peer = info.get(LinkMessages.IFLA_INFO_DATA).orElseThrow().children()
                    .get(LinkMessages.VETH_INFO_PEER).orElseThrow().value();
            NetlinkAttributes peerAttributes = NetlinkAttributes.decode(
                    ByteBuffer.wrap(peer, LinkMessages.IfInfo.SIZE, peer.length - LinkMessages.IfInfo.SIZE));
            assertEquals(veth.peerName(), peerAttributes.get(LinkMessages.IFLA_IFNAME).orElseThrow().asString());
            assertEquals(fd + 1, peerAttributes.get(LinkMessages.IFLA_NET_NS_FD).orElseThrow().asInt());
            assertEquals(veth.peerMtu(), peerAttributes.get(LinkMessages.IFLA_MTU).map(NetlinkAttribute::asInt));
        }
    }

    @Property
    void linkSettersAddressOneIndex(@ForAll @IntRange(min = 1) int index) {
        for (NetlinkMessage request : List.of(LinkMessages.setMaster(index, 3), LinkMessages.rename(index, "x"),
                LinkMessages.moveToNamespace(index, 5))) {
            assertEquals(index, LinkMessages.IfInfo.decode(roundTrip(request)).index());
        }
    }

    @Property
    void linkSettersByNameAddressTheLinkNamed(@ForAll("names") String name, @ForAll boolean flag) {
        for (NetlinkMessage request : List.of(LinkMessages.setUp(name, flag), LinkMessages.setMtu(name, 1400),
                LinkMessages.delete(name), LinkMessages.setMac(name, new MacAddress(7)),
                LinkMessages.setBridgePortIsolated(name, flag), LinkMessages.setBridgePortHairpin(name, flag))) {
            NetlinkMessage sent = roundTrip(request);
            assertEquals(0, LinkMessages.IfInfo.decode(sent).index(), "index 0: the kernel looks the name up");
            assertEquals(name, sent.attributes(LinkMessages.IfInfo.SIZE).get(LinkMessages.IFLA_IFNAME).orElseThrow()
                    .asString());
        }
        assertBridgePortFlag(LinkMessages.setBridgePortIsolated(name, flag), LinkMessages.IFLA_BRPORT_ISOLATED, flag);
        assertBridgePortFlag(LinkMessages.setBridgePortHairpin(name, flag), LinkMessages.IFLA_BRPORT_MODE, flag);
    }

    /** A port flag travels as the port's slave data: RTM_NEWLINK without create flags, kind "bridge". */
    private static void assertBridgePortFlag(NetlinkMessage request, int attribute, boolean flag) {
        NetlinkMessage sent = roundTrip(request);
        assertEquals(LinkMessages.RTM_NEWLINK, sent.type());
        assertEquals(0, sent.flags() & NetlinkMessage.F_CREATE, "it changes a port, it never creates one");
        NetlinkAttribute info = sent.attributes(LinkMessages.IfInfo.SIZE).get(LinkMessages.IFLA_LINKINFO).orElseThrow();
        assertEquals("bridge", info.children().get(LinkMessages.IFLA_INFO_SLAVE_KIND).orElseThrow().asString());
        NetlinkAttribute data = info.children().get(LinkMessages.IFLA_INFO_SLAVE_DATA).orElseThrow();
        assertTrue((data.type() & NetlinkAttribute.NESTED) != 0, "slave data is nested");
        assertEquals(flag ? 1 : 0, data.children().get(attribute).orElseThrow().asByte());
    }

    @Property
    void linkDumpRepliesDecode(@ForAll("links") Link link) {
        assertEquals(link, LinkMessages.decode(roundTrip(KernelReplies.link(link))));
    }

    @Property
    void addressRequestsAndRepliesRoundTrip(@ForAll("ipv4Cidrs") Cidr address, @ForAll @IntRange(min = 1) int index) {
        NetlinkMessage add = roundTrip(AddressMessages.add(index, address));
        assertEquals(new InterfaceAddress(index, address), AddressMessages.decode(add));
        NetlinkAttributes attributes = add.attributes(AddressMessages.IfAddr.SIZE);
        assertEquals(address.address(), attributes.get(AddressMessages.IFA_ADDRESS).orElseThrow().asAddress());
        assertEquals(address.prefixLength() < 31, attributes.get(AddressMessages.IFA_BROADCAST).isPresent());
        assertEquals(new InterfaceAddress(index, address),
                AddressMessages.decode(roundTrip(AddressMessages.delete(index, address))));
    }

    @Property
    void routeRequestsAndRepliesRoundTrip(@ForAll("routes") Route route, @ForAll @IntRange(min = 1) int oif,
            @ForAll boolean replace) {
        Optional<Integer> device = route.device().map(d -> oif);
        NetlinkMessage request = replace ? RouteMessages.replace(route, device) : RouteMessages.add(route, device);
        assertEquals(NetlinkMessage.F_CREATE | (replace ? NetlinkMessage.F_REPLACE : NetlinkMessage.F_EXCL),
                request.flags());
        RouteMessages.RouteEntry entry = RouteMessages.decode(roundTrip(request));
        assertTrue(entry.representable());
        assertEquals(route, entry.toRoute(index -> route.device().orElseThrow()));
        RouteMessages.RouteEntry deleted = RouteMessages.decode(roundTrip(RouteMessages.delete(route, device)));
        assertEquals(List.of(route.destination(), route.table(), route.metric()),
                List.of(deleted.destination(), deleted.table(), deleted.metric()));
    }

    @Property
    void acknowledgementsCarryErrnoAndKernelText(@ForAll @IntRange(max = 200) int errno,
            @ForAll("texts") Optional<String> text, @ForAll boolean capped) {
        NetlinkMessage request = LinkMessages.get("eth0").withSequence(NetlinkMessage.F_REQUEST, 9);
        assertEquals(new Acknowledgement(errno, text),
                Acknowledgement.decode(roundTrip(KernelReplies.error(errno, request, text, capped))));
    }

    /** Whether {@code length} ends the input after a whole message (its trailing padding may be cut). */
    private static boolean isBoundary(List<NetlinkMessage> messages, int length) {
        int offset = 0;
        for (NetlinkMessage message : messages) {
            if (length == offset || (length >= offset + message.encodedLength() && length < offset
                    + message.encode().length)) {
                return true;
            }
            offset += message.encode().length;
        }
        return offset == length;
    }

    private static NetlinkMessage roundTrip(NetlinkMessage message) {
        List<NetlinkMessage> decoded = NetlinkMessage.decodeAll(ByteBuffer.wrap(message.encode()));
        assertEquals(List.of(message), decoded);
        assertArrayEquals(message.encode(), decoded.get(0).encode());
        return decoded.get(0);
    }

    @Provide
    Arbitrary<List<NetlinkAttribute>> attributeLists() {
        Arbitrary<NetlinkAttribute> attribute = Combinators.combine(
                Arbitraries.integers().between(0, 0xffff),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(70)).as(NetlinkAttribute::new);
        return attribute.list().ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<NetlinkMessage>> messages() {
        Arbitrary<NetlinkMessage> message = Combinators.combine(
                Arbitraries.integers().between(0, 0xffff), Arbitraries.integers().between(0, 0xffff),
                Arbitraries.integers(), Arbitraries.integers(),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(60)).as(NetlinkMessage::new);
        return message.list().ofMinSize(1).ofMaxSize(5);
    }

    @Provide
    Arbitrary<Optional<String>> texts() {
        return Arbitraries.strings().alpha().numeric().withChars(' ').ofMinLength(1).ofMaxLength(80)
                .filter(s -> !s.isBlank()).optional();
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().withCharRange('a', 'z').numeric().ofMinLength(1).ofMaxLength(15);
    }

    @Provide
    Arbitrary<LinkKind> kinds() {
        Arbitrary<LinkKind> veth = Combinators.combine(names(), Arbitraries.integers().between(68, 9000).optional())
                .as((peer, mtu) -> new LinkKind.Veth(peer, new NetworkNamespace(Path.of("/run/x")), Optional.empty(), mtu));
        Arbitrary<LinkKind> macvlan = Combinators.combine(names(), Arbitraries.of(LinkKind.MacvlanMode.class))
                .as(LinkKind.Macvlan::new);
        return Arbitraries.oneOf(Arbitraries.just(new LinkKind.Bridge()), Arbitraries.just(new LinkKind.Dummy()),
                veth, macvlan);
    }

    @Provide
    Arbitrary<LinkRequest> linkRequests() {
        return Combinators.combine(names(), kinds(), Arbitraries.integers().between(68, 65535).optional(),
                macs().optional(), names().optional(), Arbitraries.just(new NetworkNamespace(Path.of("/run/y")))
                        .optional(), Arbitraries.of(true, false))
                .as(LinkRequest::new);
    }

    @Provide
    Arbitrary<MacAddress> macs() {
        return Arbitraries.longs().between(0, (1L << 48) - 1).map(MacAddress::new);
    }

    @Provide
    Arbitrary<Link> links() {
        return Combinators.combine(Arbitraries.integers().between(1, 1 << 20), names(),
                Arbitraries.of("bridge", "veth", "dummy").optional(), Arbitraries.integers().between(0, 65535),
                macs().optional(), Arbitraries.integers().between(1, 1000).optional(), Arbitraries.of(true, false))
                .as(Link::new);
    }

    @Provide
    Arbitrary<Cidr> ipv4Cidrs() {
        return Combinators.combine(Arbitraries.bytes().array(byte[].class).ofSize(4),
                Arbitraries.integers().between(0, 32)).as((bytes, prefix) -> {
                    try {
                        return new Cidr(InetAddress.getByAddress(bytes), prefix);
                    } catch (java.net.UnknownHostException e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    @Provide
    Arbitrary<Route> routes() {
        Arbitrary<Optional<InetAddress>> gateway = ipv4Cidrs().map(Cidr::address).optional();
        Arbitrary<Route> plain = Combinators.combine(ipv4Cidrs(), gateway, names().optional())
                .filter((dst, gw, dev) -> gw.isPresent() || dev.isPresent())
                .as(Route::new);
        return Combinators.combine(plain, Arbitraries.of(RouteScope.class), Arbitraries.of(true, false),
                Arbitraries.integers().between(0, Integer.MAX_VALUE), Arbitraries.integers().between(1, Integer.MAX_VALUE))
                .as((route, scope, onlink, metric, table) -> {
                    Route out = route.withMetric(metric).inTable(table);
                    boolean throughGateway = route.gateway().isPresent();
                    out = !throughGateway || scope == RouteScope.UNIVERSE || scope == RouteScope.SITE
                            ? out.withScope(scope) : out;
                    return onlink && throughGateway && route.device().isPresent() ? out.withOnlink() : out;
                });
    }
}
