package dev.ctrnet.api.net;

import dev.ctrnet.api.UserInput;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * An address with a prefix length, such as {@code 10.88.0.5/16}: either an interface address (the
 * host part matters) or a subnet (see {@link #network()}).
 *
 * @param address the address, IPv4 or IPv6
 * @param prefixLength 0–32 for IPv4, 0–128 for IPv6
 */
public record Cidr(InetAddress address, int prefixLength) {
    public Cidr {
        Objects.requireNonNull(address, "address");
        if (prefixLength < 0 || prefixLength > bits(address)) {
            throw new IllegalArgumentException(
                    "prefix length " + prefixLength + " is out of range for " + IpAddresses.format(address));
        }
    }

    /**
     * Parses {@code ADDRESS/PREFIX}.
     *
     * @throws IllegalArgumentException with a sentence a user can act on
     */
    public static Cidr parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException(UserInput.quote(text) + " is not a CIDR such as 10.88.0.0/16");
        }
        InetAddress address = IpAddresses.parse(text.substring(0, slash));
        String prefix = text.substring(slash + 1);
        if (!prefix.matches("\\d{1,3}")) {
            throw new IllegalArgumentException(UserInput.quote(text) + " has no valid prefix length after '/'");
        }
        return new Cidr(address, Integer.parseInt(prefix));
    }

    /** The default route's destination, {@code 0.0.0.0/0}. */
    public static Cidr anyIpv4() {
        return new Cidr(IpAddresses.anyIpv4(), 0);
    }

    /** Whether this is an IPv4 prefix. */
    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    /** The subnet this address is in: host bits cleared. */
    public Cidr network() {
        return new Cidr(networkAddress(), prefixLength);
    }

    /** The first address of the subnet. */
    public InetAddress networkAddress() {
        return IpAddresses.fromNumber(IpAddresses.toNumber(address).and(mask()), bytes());
    }

    /** The last address of the subnet (the broadcast address for IPv4). */
    public InetAddress lastAddress() {
        return IpAddresses.fromNumber(IpAddresses.toNumber(networkAddress()).or(mask().not().and(allOnes())), bytes());
    }

    /** How many addresses the subnet holds, network and broadcast included. */
    public BigInteger size() {
        return BigInteger.ONE.shiftLeft(bits(address) - prefixLength);
    }

    /** The address at {@code offset} from the network address. */
    public InetAddress addressAt(BigInteger offset) {
        if (offset.signum() < 0 || offset.compareTo(size()) >= 0) {
            throw new IllegalArgumentException("offset " + offset + " is outside " + network());
        }
        return IpAddresses.fromNumber(IpAddresses.toNumber(networkAddress()).add(offset), bytes());
    }

    /** The offset of {@code other} from the network address; {@code other} must be inside. */
    public BigInteger offsetOf(InetAddress other) {
        if (!contains(other)) {
            throw new IllegalArgumentException(IpAddresses.format(other) + " is outside " + network());
        }
        return IpAddresses.toNumber(other).subtract(IpAddresses.toNumber(networkAddress()));
    }

    /** Whether {@code other} lies inside this subnet. */
    public boolean contains(InetAddress other) {
        return other.getClass() == address.getClass()
                && IpAddresses.toNumber(other).and(mask()).equals(IpAddresses.toNumber(address).and(mask()));
    }

    /** Whether the two subnets share at least one address. */
    public boolean overlaps(Cidr other) {
        if (other.address.getClass() != address.getClass()) {
            return false;
        }
        Cidr wider = prefixLength <= other.prefixLength ? this : other;
        Cidr narrower = wider == this ? other : this;
        return wider.contains(narrower.address);
    }

    /** This address with another prefix length. */
    public Cidr withPrefix(int newPrefixLength) {
        return new Cidr(address, newPrefixLength);
    }

    @Override
    public String toString() {
        return IpAddresses.format(address) + "/" + prefixLength;
    }

    private int bytes() {
        return address.getAddress().length;
    }

    private BigInteger allOnes() {
        return BigInteger.ONE.shiftLeft(bits(address)).subtract(BigInteger.ONE);
    }

    private BigInteger mask() {
        int hostBits = bits(address) - prefixLength;
        return allOnes().shiftRight(hostBits).shiftLeft(hostBits);
    }

    private static int bits(InetAddress address) {
        return address.getAddress().length * 8;
    }
}
