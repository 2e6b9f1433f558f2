package dev.ctrnet.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.kernel.LinkRequest;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.api.net.MacAddress;
import dev.ctrnet.api.net.PortMapping;
import dev.ctrnet.api.net.Protocol;
import dev.ctrnet.api.net.Subnets;
import dev.ctrnet.api.testing.HostileInput;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every validator of user input in the SPI, fed strings that try to break out of where they go: each
 * is either refused with a clean one-line message, or accepted only when made of characters that mean
 * nothing to a shell, a rule script or a path. Then the grammars' edges, one example each.
 */
class GrammarProperties {
    /** The validators, each with the characters anything it accepts is made of. */
    enum Validator {
        CONTAINER_NAME(s -> Names.requireName(s, "container"), "[A-Za-z0-9_.-]+"),
        HOSTNAME(Names::requireHostname, "[A-Za-z0-9.-]+"),
        DRIVER_NAME(s -> Names.requireDriverName(s, "network driver"), "[a-z0-9_.-]+"),
        INTERFACE_NAME(LinkRequest::requireName, "[A-Za-z0-9_.-]+"),
        RULE_SET_NAME(FirewallPlan::empty, "[a-z0-9-]+"),
        NETWORK_SPEC(s -> new NetworkSpec(s, s, Optional.empty(), Optional.empty(), false, Map.of(s, s)), "[a-z0-9_.-]+"),
        SUBNET(s -> Subnets.requireUsable(Cidr.parse(s)), "[0-9A-Fa-f.:/]+"),
        ADDRESS(IpAddresses::parse, "[0-9A-Fa-f.:]+"),
        PUBLISHED_PORT(PortMapping::parse, "[0-9A-Fa-f.:/\\[\\]tcpudTCPUD-]+"),
        PROTOCOL(Protocol::parse, "[a-zA-Z]+"),
        MAC_ADDRESS(MacAddress::parse, "[0-9A-Fa-f:]+");

        private final Consumer<String> check;
        private final String accepted;

        Validator(Consumer<String> check, String accepted) {
            this.check = check;
            this.accepted = accepted;
        }
    }

    @Provide
    Arbitrary<String> hostile() {
        return HostileInput.strings();
    }

    @Property(tries = 2000)
    void everyValidatorRefusesCleanlyOrAcceptsOnlyItsGrammar(@ForAll("hostile") String input,
            @ForAll Validator validator) {
        if (!HostileInput.refusedCleanly(() -> validator.check.accept(input))) {
            assertTrue(input.matches(validator.accepted), validator + " accepted " + UserInput.quote(input));
        }
    }

    @Property
    void aQuotedInputIsOneLineThatShowsPlainTextAsItIs(@ForAll("hostile") String input) {
        String quoted = UserInput.quote(input);
        HostileInput.assertCleanMessage(quoted);
        if (input.matches("[A-Za-z0-9_.-]{1,64}")) {
            assertEquals("'" + input + "'", quoted);
        }
    }

    @Example
    void quotingEscapesAsJavaDoesAndCutsLongInput() {
        assertEquals("'a\\nb'", UserInput.quote("a\nb"));
        assertEquals("'it\\'s a \\\\ \\t'", UserInput.quote("it's a \\ \t"));
        assertEquals("'ä\\u202e\\u0000'", UserInput.quote("ä\u202e\0"));
        assertEquals("'" + "x".repeat(64) + "'… (6 more characters)", UserInput.quote("x".repeat(70)));
        assertEquals("a\\nb 'c' \\d", UserInput.oneLine("a\nb 'c' \\d"));
    }

    @Example
    void hostNamesAreRfc1123AndFitTheKernel() {
        for (String valid : new String[] {"a", "web-1", "a.b.c", "9lives", "A" + "b".repeat(62),
            "a".repeat(31) + "." + "b".repeat(32)}) {
            assertEquals(valid, Names.requireHostname(valid));
        }
        for (String invalid : new String[] {"", "-a", "a-", "a..b", ".a", "a.", "a".repeat(64), "a.".repeat(32) + "ab",
            "a_b", "ä", "a b", "a\nb", "a.-b"}) {
            assertThrows(IllegalArgumentException.class, () -> Names.requireHostname(invalid), invalid);
        }
    }

    @Example
    void interfaceNamesAreShortAndPlain() {
        for (String valid : new String[] {"eth0", "br-x.y", "a_b", "x".repeat(15), "..."}) {
            assertEquals(valid, LinkRequest.requireName(valid));
        }
        for (String invalid : new String[] {"", ".", "..", "x".repeat(16), "a/b", "a:b", "a b", "ä", "a\"b", "a\nb"}) {
            assertThrows(IllegalArgumentException.class, () -> LinkRequest.requireName(invalid), invalid);
        }
    }

    @Example
    void containerNetworkAndDriverNamesFollowTheirRules() {
        assertEquals("A_b.c-9", Names.requireName("A_b.c-9", "container"));
        assertEquals("x".repeat(128), Names.requireName("x".repeat(128), "container"));
        for (String invalid : new String[] {"", "-a", "_a", ".a", "ä", "a b", "x".repeat(129)}) {
            assertThrows(IllegalArgumentException.class, () -> Names.requireName(invalid, "container"), invalid);
        }
        assertEquals("my-drv.v2", Names.requireDriverName("my-drv.v2", "network driver"));
        for (String invalid : new String[] {"", "Bridge", "-x", "a b", "x".repeat(33)}) {
            assertThrows(IllegalArgumentException.class, () -> Names.requireDriverName(invalid, "NAT backend"), invalid);
        }
    }

    @Example
    void mtusAreWhatALinkCanHave() {
        assertEquals(68, LinkRequest.requireMtu(68));
        assertEquals(65535, LinkRequest.requireMtu(65535));
        assertThrows(IllegalArgumentException.class, () -> LinkRequest.requireMtu(67));
        assertThrows(IllegalArgumentException.class, () -> LinkRequest.requireMtu(65536));
    }

    @Example
    void subnetsOfLoopbackMulticastAndReservedRangesAreRefused() {
        for (String refused : new String[] {"127.0.0.0/8", "127.10.0.0/16", "0.0.0.0/8", "0.0.0.0/0", "224.0.0.0/24",
            "239.1.0.0/16", "255.255.255.0/24", "240.0.0.0/4", "::1/128", "::/0", "ff02::/16"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Subnets.requireUsable(Cidr.parse(refused)), refused);
            assertTrue(e.getMessage().startsWith("subnet "), e.getMessage());
        }
        for (String usable : new String[] {"10.0.0.0/8", "172.17.0.0/16", "192.168.1.0/24", "100.64.0.0/10",
            "1.0.0.0/8", "223.255.255.0/24", "fd00::/64"}) {
            assertEquals(Cidr.parse(usable), Subnets.requireUsable(Cidr.parse(usable)));
        }
    }

    @Example
    void aGatewayNeedsASubnet() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NetworkSpec("n", "bridge",
                Optional.empty(), Optional.of(IpAddresses.parse("10.9.9.9")), false, Map.of()));
        assertTrue(e.getMessage().contains("--subnet"), e.getMessage());
    }
}
