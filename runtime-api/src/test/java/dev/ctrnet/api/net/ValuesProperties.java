package dev.ctrnet.api.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.InetAddress;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The value types parse what they print, reject what they cannot hold, and their arithmetic agrees with itself. */
class ValuesProperties {
    @Provide
    Arbitrary<String> ipv4Literals() {
        return Arbitraries.integers().between(0, 255).list().ofSize(4)
                .map(bytes -> bytes.get(0) + "." + bytes.get(1) + "." + bytes.get(2) + "." + bytes.get(3));
    }

    @Provide
    Arbitrary<Cidr> cidrs() {
        return Combinators.combine(ipv4Literals(), Arbitraries.integers().between(0, 32))
                .as((address, prefix) -> new Cidr(IpAddresses.parse(address), prefix));
    }

    @Property
    void ipv4LiteralsRoundTripAndNeverLookUpNames(@ForAll("ipv4Literals") String literal) {
        assertEquals(literal, IpAddresses.format(IpAddresses.parse(literal)));
    }

    @Property
    void somethingThatIsNotALiteralIsRefused(@ForAll("notLiterals") String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpAddresses.parse(text));
        assertTrue(e.getMessage().contains("is not an IP address") || e.getMessage().contains("empty"), e.getMessage());
    }

    @Provide
    Arbitrary<String> notLiterals() {
        return Arbitraries.oneOf(
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12),  // host names: never resolved
                Arbitraries.integers().between(256, 999).map(n -> "10.0.0." + n),
                Arbitraries.of("", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.-4", " 1.2.3.4"));
    }

    @Property
    void cidrsRoundTripThroughText(@ForAll("cidrs") Cidr cidr) {
        assertEquals(cidr, Cidr.parse(cidr.toString()));
    }

    @Property
    void theNetworkOfACidrContainsItAndItsWholeRange(@ForAll("cidrs") Cidr cidr) {
        Cidr network = cidr.network();
        assertEquals(network, network.network(), "network() is idempotent");
        assertTrue(network.contains(cidr.address()));
        assertTrue(network.contains(network.networkAddress()));
        assertTrue(network.contains(network.lastAddress()));
        assertEquals(network.size().subtract(BigInteger.ONE), network.offsetOf(network.lastAddress()));
        assertEquals(network.lastAddress(), network.addressAt(network.size().subtract(BigInteger.ONE)));
    }

    @Property
    void overlapIsSymmetricAndMeansAnAddressInCommon(@ForAll("cidrs") Cidr a, @ForAll("cidrs") Cidr b) {
        assertEquals(a.overlaps(b), b.overlaps(a));
        boolean common = a.contains(b.networkAddress()) || b.contains(a.networkAddress());
        assertEquals(common, a.overlaps(b));
    }

    @Property
    void prefixLengthsOutsideTheFamilyAreRefused(@ForAll("ipv4Literals") String address,
            @ForAll @IntRange(min = 33, max = 200) int prefix) {
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse(address + "/" + prefix));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse(address));
    }

    @Property
    void macAddressesRoundTripThroughTextAndBytes(@ForAll @LongRange(min = 0, max = 0xffff_ffff_ffffL) long value) {
        MacAddress mac = new MacAddress(value);
        assertEquals(mac, MacAddress.parse(mac.toString()));
        assertEquals(mac, MacAddress.parse(mac.toString().toUpperCase()));
        assertEquals(mac, MacAddress.of(mac.bytes()));
    }

    @Property
    void macsDerivedFromIpv4AreLocallyAdministeredUnicastAndDistinct(@ForAll("ipv4Literals") String a,
            @ForAll("ipv4Literals") String b) {
        MacAddress ma = MacAddress.derivedFrom(IpAddresses.parse(a));
        assertEquals(0x02, ma.bytes()[0] & 0x03, "locally administered, unicast");
        assertEquals(a.equals(b), ma.equals(MacAddress.derivedFrom(IpAddresses.parse(b))));
    }

    @Provide
    Arbitrary<PortMapping> mappings() {
        Arbitrary<Integer> start = Arbitraries.integers().between(1, 60000);
        Arbitrary<Integer> length = Arbitraries.integers().between(1, 100);
        return Combinators.combine(ipv4Literals(), start, start, length, Arbitraries.of(Protocol.values()))
                .as((ip, host, container, n, protocol) -> new PortMapping(IpAddresses.parse(ip),
                        new PortRange(host, host + n - 1), new PortRange(container, container + n - 1), protocol));
    }

    @Property
    void dockersPublishSyntaxRoundTrips(@ForAll("mappings") PortMapping mapping) {
        String spec = IpAddresses.format(mapping.hostIp()) + ":" + mapping.hostPorts() + ":" + mapping.containerPorts()
                + "/" + mapping.protocol().id();
        assertEquals(mapping, PortMapping.parse(spec));
    }

    @Property
    void withoutHostAddressOrProtocolItMeansEveryAddressAndTcp(@ForAll @IntRange(min = 1, max = 65535) int host,
            @ForAll @IntRange(min = 1, max = 65535) int container) {
        PortMapping m = PortMapping.parse(host + ":" + container);
        assertTrue(m.hostIp().isAnyLocalAddress());
        assertEquals(Protocol.TCP, m.protocol());
        assertEquals(PortRange.of(host), m.hostPorts());
        assertEquals(PortRange.of(container), m.containerPorts());
    }

    @Property
    void rangesOfDifferentLengthsAndPortsOutOfRangeAreRefused(@ForAll @IntRange(min = 1, max = 1000) int start,
            @ForAll @IntRange(min = 1, max = 50) int n) {
        String shorter = start + "-" + (start + n) + ":" + start + "-" + (start + n - 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PortMapping.parse(shorter));
        assertTrue(e.getMessage().contains("ranges of different lengths"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PortMapping.parse((65535 + start) + ":80"));
        assertThrows(IllegalArgumentException.class, () -> PortMapping.parse(start + ":80/sctp"));
    }

    @Property
    void conflictsAreSymmetricAndNeedTheSameProtocolAndAnOverlap(@ForAll("mappings") PortMapping a,
            @ForAll("mappings") PortMapping b) {
        assertEquals(a.conflictsWith(b), b.conflictsWith(a));
        if (a.protocol() != b.protocol() || !a.hostPorts().overlaps(b.hostPorts())) {
            assertFalse(a.conflictsWith(b));
        }
        assertTrue(a.conflictsWith(a));
    }

    @Property
    void everyAddressConflictsWithAnyAddressOnTheSamePorts(@ForAll("mappings") PortMapping bound) {
        InetAddress any = IpAddresses.anyIpv4();
        PortMapping everywhere = new PortMapping(any, bound.hostPorts(), bound.containerPorts(), bound.protocol());
        assertTrue(everywhere.conflictsWith(bound));
    }
}
