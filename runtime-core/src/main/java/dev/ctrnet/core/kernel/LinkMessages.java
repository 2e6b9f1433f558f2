package dev.ctrnet.core.kernel;

import dev.ctrnet.api.kernel.Link;
import dev.ctrnet.api.kernel.LinkKind;
import dev.ctrnet.api.kernel.LinkRequest;
import dev.ctrnet.api.net.MacAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** rtnetlink link messages ({@code RTM_*LINK}, {@code struct ifinfomsg} + {@code IFLA_*}), built and read. */
final class LinkMessages {
    static final int RTM_NEWLINK = 16;
    static final int RTM_DELLINK = 17;
    static final int RTM_GETLINK = 18;
    static final int RTM_SETLINK = 19;

    static final int IFLA_ADDRESS = 1;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_MTU = 4;
    static final int IFLA_LINK = 5;
    static final int IFLA_MASTER = 10;
    static final int IFLA_LINKINFO = 18;
    static final int IFLA_NET_NS_FD = 28;
    /** What a link request asks the kernel to leave out of its replies ({@code RTEXT_FILTER_*}). */
    static final int IFLA_EXT_MASK = 29;
    /** No counters: a {@link Link} has none, and summing a veth's per-CPU counters is work for the kernel too. */
    static final int RTEXT_FILTER_SKIP_STATS = 1 << 3;
    static final int IFLA_INFO_KIND = 1;
    static final int IFLA_INFO_DATA = 2;
    static final int IFLA_INFO_SLAVE_KIND = 4;
    static final int IFLA_INFO_SLAVE_DATA = 5;
    static final int VETH_INFO_PEER = 1;
    static final int IFLA_MACVLAN_MODE = 1;
    /** 33 in {@code enum IFLA_BRPORT_*} of if_link.h (52 is a different, read-only attribute). */
    static final int IFLA_BRPORT_ISOLATED = 33;
    /** 4 in {@code enum IFLA_BRPORT_*}: the port's hairpin mode. */
    static final int IFLA_BRPORT_MODE = 4;

    static final int IFLA_AF_SPEC = 26;
    /** {@code IFLA_INET6_ADDR_GEN_MODE} inside {@code IFLA_AF_SPEC}/{@code AF_INET6}. */
    static final int IFLA_INET6_ADDR_GEN_MODE = 8;
    static final int IN6_ADDR_GEN_MODE_EUI64 = 0;
    static final int IN6_ADDR_GEN_MODE_NONE = 1;

    static final int AF_UNSPEC = 0;
    static final int IFF_UP = 0x1;

    private LinkMessages() {
    }

    /**
     * {@code struct ifinfomsg}.
     *
     * @param family address family ({@code AF_UNSPEC} for every request ctrnet sends)
     * @param deviceType {@code ARPHRD_*}
     * @param index interface index, 0 for "by name" or "new"
     * @param flags {@code IFF_*} flags
     * @param change which of the flags to change
     */
    record IfInfo(int family, int deviceType, int index, int flags, int change) {
        static final int SIZE = 16;

        static IfInfo of(int index) {
            return new IfInfo(AF_UNSPEC, 0, index, 0, 0);
        }

        byte[] encode() {
            return ByteBuffer.allocate(SIZE).order(ByteOrder.nativeOrder())
                    .put((byte) family).put((byte) 0).putShort((short) deviceType)
                    .putInt(index).putInt(flags).putInt(change).array();
        }

        static IfInfo decode(NetlinkMessage message) {
            ByteBuffer in = message.body();
            if (in.remaining() < SIZE) {
                throw new MalformedNetlinkException("link message of " + in.remaining() + " bytes has no ifinfomsg");
            }
            int family = Byte.toUnsignedInt(in.get());
            in.get();
            return new IfInfo(family, Short.toUnsignedInt(in.getShort()), in.getInt(), in.getInt(), in.getInt());
        }
    }

    /**
     * What a new link refers to, resolved in the namespaces where the kernel will look them up.
     *
     * @param masterIndex the bridge's index, in the namespace the link is born in
     * @param parentIndex a macvlan's parent index, in the namespace the request is sent to
     * @param namespaceFd an open namespace file where the link is born
     * @param peerNamespaceFd an open namespace file where a veth's peer is born
     */
    record References(Optional<Integer> masterIndex, Optional<Integer> parentIndex, Optional<Integer> namespaceFd,
            Optional<Integer> peerNamespaceFd) {
        static References none() {
            return new References(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
    }

    /** {@code RTM_NEWLINK} with {@code NLM_F_CREATE|NLM_F_EXCL}: {@code ip link add}. */
    static NetlinkMessage create(LinkRequest request, References refs) {
        List<NetlinkAttribute> attributes = new ArrayList<>();
        attributes.add(NetlinkAttribute.ofString(IFLA_IFNAME, request.name()));
        request.mtu().ifPresent(mtu -> attributes.add(NetlinkAttribute.ofInt(IFLA_MTU, mtu)));
        request.mac().ifPresent(mac -> attributes.add(new NetlinkAttribute(IFLA_ADDRESS, mac.bytes())));
        refs.masterIndex().ifPresent(index -> attributes.add(NetlinkAttribute.ofInt(IFLA_MASTER, index)));
        refs.parentIndex().ifPresent(index -> attributes.add(NetlinkAttribute.ofInt(IFLA_LINK, index)));
        refs.namespaceFd().ifPresent(fd -> attributes.add(NetlinkAttribute.ofInt(IFLA_NET_NS_FD, fd)));
        attributes.add(linkInfo(request.kind(), refs));
        IfInfo header = request.up() ? new IfInfo(AF_UNSPEC, 0, 0, IFF_UP, IFF_UP) : IfInfo.of(0);
        return NetlinkMessage.request(RTM_NEWLINK, NetlinkMessage.F_CREATE | NetlinkMessage.F_EXCL,
                header.encode(), new NetlinkAttributes(attributes));
    }

    private static NetlinkAttribute linkInfo(LinkKind kind, References refs) {
        List<NetlinkAttribute> info = new ArrayList<>();
        info.add(NetlinkAttribute.ofString(IFLA_INFO_KIND, kind.kernelName()));
        kindData(kind, refs).ifPresent(data -> info.add(NetlinkAttribute.nested(IFLA_INFO_DATA, data)));
        return NetlinkAttribute.nested(IFLA_LINKINFO, info);
    }

    private static Optional<List<NetlinkAttribute>> kindData(LinkKind kind, References refs) {
        if (kind instanceof LinkKind.Veth veth) {
            // The peer is described by a whole ifinfomsg of its own, attributes after it.
            List<NetlinkAttribute> peer = new ArrayList<>();
            peer.add(NetlinkAttribute.ofString(IFLA_IFNAME, veth.peerName()));
            veth.peerMtu().ifPresent(mtu -> peer.add(NetlinkAttribute.ofInt(IFLA_MTU, mtu)));
            veth.peerMac().ifPresent(mac -> peer.add(new NetlinkAttribute(IFLA_ADDRESS, mac.bytes())));
            refs.peerNamespaceFd().ifPresent(fd -> peer.add(NetlinkAttribute.ofInt(IFLA_NET_NS_FD, fd)));
            return Optional.of(List.of(NetlinkAttribute.nested(VETH_INFO_PEER, IfInfo.of(0).encode(), peer)));
        }
        if (kind instanceof LinkKind.Macvlan macvlan) {
            return Optional.of(List.of(NetlinkAttribute.ofInt(IFLA_MACVLAN_MODE, macvlan.mode().value())));
        }
        return Optional.empty();
    }

    /** {@code RTM_DELLINK}: {@code ip link del}, the link named by its name (index 0, {@code IFLA_IFNAME}). */
    static NetlinkMessage delete(String name) {
        return NetlinkMessage.request(RTM_DELLINK, 0, IfInfo.of(0).encode(), new NetlinkAttributes(List.of(named(name))));
    }

    /** {@code ip link set up|down}, by name. */
    static NetlinkMessage setUp(String name, boolean up) {
        IfInfo header = new IfInfo(AF_UNSPEC, 0, 0, up ? IFF_UP : 0, IFF_UP);
        return NetlinkMessage.request(RTM_SETLINK, 0, header.encode(), new NetlinkAttributes(List.of(named(name))));
    }

    /** {@code ip link set master}. */
    static NetlinkMessage setMaster(int index, int masterIndex) {
        return set(index, NetlinkAttribute.ofInt(IFLA_MASTER, masterIndex));
    }

    /** {@code ip link set mtu}, by name. */
    static NetlinkMessage setMtu(String name, int mtu) {
        return set(0, named(name), NetlinkAttribute.ofInt(IFLA_MTU, mtu));
    }

    /** {@code ip link set address}, by name. */
    static NetlinkMessage setMac(String name, MacAddress mac) {
        return set(0, named(name), new NetlinkAttribute(IFLA_ADDRESS, mac.bytes()));
    }

    /** {@code ip link set NAME addrgenmode eui64|none}, by name. */
    static NetlinkMessage setIpv6LinkLocal(String name, boolean generate) {
        NetlinkAttribute mode = NetlinkAttribute.ofByte(IFLA_INET6_ADDR_GEN_MODE,
                generate ? IN6_ADDR_GEN_MODE_EUI64 : IN6_ADDR_GEN_MODE_NONE);
        return set(0, named(name), NetlinkAttribute.nested(IFLA_AF_SPEC,
                List.of(NetlinkAttribute.nested(AddressMessages.AF_INET6, List.of(mode)))));
    }

    /** {@code ip link set name}. */
    static NetlinkMessage rename(int index, String newName) {
        return set(index, NetlinkAttribute.ofString(IFLA_IFNAME, newName));
    }

    /** {@code ip link set netns}. */
    static NetlinkMessage moveToNamespace(int index, int namespaceFd) {
        return set(index, NetlinkAttribute.ofInt(IFLA_NET_NS_FD, namespaceFd));
    }

    /** {@code ip link set NAME type bridge_slave isolated on|off}. */
    static NetlinkMessage setBridgePortIsolated(String name, boolean isolated) {
        return setBridgePortFlag(name, IFLA_BRPORT_ISOLATED, isolated);
    }

    /** {@code ip link set NAME type bridge_slave hairpin on|off}. */
    static NetlinkMessage setBridgePortHairpin(String name, boolean hairpin) {
        return setBridgePortFlag(name, IFLA_BRPORT_MODE, hairpin);
    }

    /**
     * A bridge-port flag sent as the port's slave data ({@code RTM_NEWLINK} without create flags,
     * {@code IFLA_LINKINFO}/{@code IFLA_INFO_SLAVE_DATA}), as ip does. The other way, {@code RTM_SETLINK}
     * of family {@code AF_BRIDGE}, costs the kernel time that grows with the bridge's port count
     * (measured: 0.3 ms with one port, 6.8 ms with a thousand). The port is named by its name: the kernel
     * looks it up itself, and refuses a link that has no bridge as master ({@code EOPNOTSUPP}).
     */
    private static NetlinkMessage setBridgePortFlag(String name, int attribute, boolean on) {
        NetlinkAttribute linkInfo = NetlinkAttribute.nested(IFLA_LINKINFO, List.of(
                NetlinkAttribute.ofString(IFLA_INFO_SLAVE_KIND, "bridge"),
                NetlinkAttribute.nested(IFLA_INFO_SLAVE_DATA, List.of(NetlinkAttribute.ofByte(attribute, on ? 1 : 0)))));
        return NetlinkMessage.request(RTM_NEWLINK, 0, IfInfo.of(0).encode(),
                new NetlinkAttributes(List.of(named(name), linkInfo)));
    }

    /** {@code RTM_GETLINK} of one link by name. */
    static NetlinkMessage get(String name) {
        return NetlinkMessage.request(RTM_GETLINK, 0, IfInfo.of(0).encode(),
                new NetlinkAttributes(List.of(NetlinkAttribute.ofString(IFLA_IFNAME, name), withoutStats())));
    }

    /** {@code RTM_GETLINK} of every link (sent with {@code NLM_F_DUMP}). */
    static NetlinkMessage dump() {
        return NetlinkMessage.request(RTM_GETLINK, 0, IfInfo.of(0).encode(), new NetlinkAttributes(List.of(withoutStats())));
    }

    private static NetlinkAttribute withoutStats() {
        return NetlinkAttribute.ofInt(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
    }

    private static NetlinkMessage set(int index, NetlinkAttribute attribute) {
        return NetlinkMessage.request(RTM_SETLINK, 0, IfInfo.of(index).encode(),
                new NetlinkAttributes(List.of(attribute)));
    }

    private static NetlinkMessage set(int index, NetlinkAttribute first, NetlinkAttribute second) {
        return NetlinkMessage.request(RTM_SETLINK, 0, IfInfo.of(index).encode(),
                new NetlinkAttributes(List.of(first, second)));
    }

    /**
     * The link a request names when its index is 0: the kernel looks the name up itself, which spares the
     * round trip of an {@code RTM_GETLINK} first.
     */
    private static NetlinkAttribute named(String name) {
        return NetlinkAttribute.ofString(IFLA_IFNAME, name);
    }

    /**
     * A bridge port's flag ({@code IFLA_BRPORT_*} attribute {@code attribute}) from an {@code RTM_NEWLINK} the
     * kernel sent, which carries it as the port's slave data; empty for a link that is no bridge port.
     */
    static Optional<Boolean> portFlag(NetlinkMessage message, int attribute) {
        return message.attributes(IfInfo.SIZE).get(IFLA_LINKINFO)
                .map(NetlinkAttribute::children)
                .filter(info -> info.get(IFLA_INFO_SLAVE_KIND).map(NetlinkAttribute::asString)
                        .equals(Optional.of("bridge")))
                .flatMap(info -> info.get(IFLA_INFO_SLAVE_DATA))
                .flatMap(data -> data.children().get(attribute))
                .map(flag -> flag.asByte() != 0);
    }

    /** Reads a link from an {@code RTM_NEWLINK} the kernel sent. */
    static Link decode(NetlinkMessage message) {
        IfInfo header = IfInfo.decode(message);
        NetlinkAttributes attributes = message.attributes(IfInfo.SIZE);
        String name = attributes.get(IFLA_IFNAME).map(NetlinkAttribute::asString)
                .orElseThrow(() -> new MalformedNetlinkException("link " + header.index() + " has no name"));
        Optional<String> kind = attributes.get(IFLA_LINKINFO)
                .flatMap(info -> info.children().get(IFLA_INFO_KIND))
                .map(NetlinkAttribute::asString);
        int mtu = attributes.get(IFLA_MTU).map(NetlinkAttribute::asInt).orElse(0);
        Optional<MacAddress> mac = attributes.get(IFLA_ADDRESS)
                .map(NetlinkAttribute::value)
                .filter(bytes -> bytes.length == 6)
                .map(MacAddress::of);
        Optional<Integer> master = attributes.get(IFLA_MASTER).map(NetlinkAttribute::asInt).filter(i -> i != 0);
        return new Link(header.index(), name, kind, mtu, mac, master, (header.flags() & IFF_UP) != 0);
    }
}
