package dev.ctrnet.core.kernel;

import dev.ctrnet.api.kernel.InterfaceAddress;
import dev.ctrnet.api.net.Cidr;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** rtnetlink address messages ({@code RTM_*ADDR}, {@code struct ifaddrmsg} + {@code IFA_*}), built and read. */
final class AddressMessages {
    static final int RTM_NEWADDR = 20;
    static final int RTM_DELADDR = 21;
    static final int RTM_GETADDR = 22;

    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int IFA_BROADCAST = 4;

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;

    /** {@code IFA_F_NODAD}: an IPv6 address skips duplicate address detection. */
    static final int IFA_F_NODAD = 0x02;

    private AddressMessages() {
    }

    /**
     * {@code struct ifaddrmsg}.
     *
     * @param family {@code AF_INET} or {@code AF_INET6}
     * @param prefixLength the prefix length
     * @param flags {@code IFA_F_*}
     * @param scope {@code RT_SCOPE_*}
     * @param index the link's index
     */
    record IfAddr(int family, int prefixLength, int flags, int scope, int index) {
        static final int SIZE = 8;

        byte[] encode() {
            return ByteBuffer.allocate(SIZE).order(ByteOrder.nativeOrder())
                    .put((byte) family).put((byte) prefixLength).put((byte) flags).put((byte) scope)
                    .putInt(index).array();
        }

        static IfAddr decode(NetlinkMessage message) {
            ByteBuffer in = message.body();
            if (in.remaining() < SIZE) {
                throw new MalformedNetlinkException("address message of " + in.remaining() + " bytes has no ifaddrmsg");
            }
            return new IfAddr(Byte.toUnsignedInt(in.get()), Byte.toUnsignedInt(in.get()), Byte.toUnsignedInt(in.get()),
                    Byte.toUnsignedInt(in.get()), in.getInt());
        }
    }

    static int family(Cidr address) {
        return address.isIpv4() ? AF_INET : AF_INET6;
    }

    /** {@code ip addr add}: local and peer address equal, the subnet's broadcast for IPv4, {@code nodad} for IPv6. */
    static NetlinkMessage add(int index, Cidr address) {
        int flags = address.isIpv4() ? 0 : IFA_F_NODAD;
        return NetlinkMessage.request(RTM_NEWADDR, NetlinkMessage.F_CREATE | NetlinkMessage.F_EXCL,
                new IfAddr(family(address), address.prefixLength(), flags, 0, index).encode(), attributes(address, true));
    }

    /** {@code ip addr del}. */
    static NetlinkMessage delete(int index, Cidr address) {
        return NetlinkMessage.request(RTM_DELADDR, 0, header(index, address), attributes(address, false));
    }

    /**
     * {@code RTM_GETADDR} of the IPv4 addresses of the link with index {@code index}, or of every link for 0 (sent
     * with {@code NLM_F_DUMP}); on a socket with strict checking the kernel reads that link's addresses only.
     */
    static NetlinkMessage dumpIpv4(int index) {
        return NetlinkMessage.request(RTM_GETADDR, 0, new IfAddr(AF_INET, 0, 0, 0, index).encode(),
                new NetlinkAttributes(List.of()));
    }

    private static byte[] header(int index, Cidr address) {
        return new IfAddr(family(address), address.prefixLength(), 0, 0, index).encode();
    }

    private static NetlinkAttributes attributes(Cidr address, boolean withBroadcast) {
        List<NetlinkAttribute> attributes = new ArrayList<>();
        attributes.add(NetlinkAttribute.ofAddress(IFA_LOCAL, address.address()));
        attributes.add(NetlinkAttribute.ofAddress(IFA_ADDRESS, address.address()));
        // /31 and /32 have no broadcast address (RFC 3021).
        if (withBroadcast && address.isIpv4() && address.prefixLength() < 31) {
            attributes.add(NetlinkAttribute.ofAddress(IFA_BROADCAST, address.lastAddress()));
        }
        return new NetlinkAttributes(attributes);
    }

    /** Reads an address from an {@code RTM_NEWADDR} the kernel sent: the local address, else the peer's. */
    static InterfaceAddress decode(NetlinkMessage message) {
        IfAddr header = IfAddr.decode(message);
        NetlinkAttributes attributes = message.attributes(IfAddr.SIZE);
        NetlinkAttribute address = attributes.get(IFA_LOCAL).or(() -> attributes.get(IFA_ADDRESS))
                .orElseThrow(() -> new MalformedNetlinkException("address message for link " + header.index()
                        + " carries no address"));
        return new InterfaceAddress(header.index(), new Cidr(address.asAddress(), header.prefixLength()));
    }
}
