package dev.ctrnet.driver.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.UserInput;
import dev.ctrnet.api.testing.HostileInput;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@code --opt} values and keys of the bridge driver, fed hostile strings: refused with a clean one-line
 * message, or accepted only in the grammar of their option, since the bridge name reaches rule scripts
 * and {@code /proc/sys} paths and the rest is stored and printed.
 */
class BridgeOptionsProperties {
    @Provide
    Arbitrary<String> hostile() {
        return HostileInput.strings();
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.of(BridgeOptions.BRIDGE, BridgeOptions.MTU, BridgeOptions.MASQUERADE, BridgeOptions.ICC,
                "com.docker.network.bridge.name", "com.docker.network.driver.mtu",
                "com.docker.network.bridge.enable_ip_masquerade", "com.docker.network.bridge.enable_icc");
    }

    @Property(tries = 1000)
    void aValueIsRefusedCleanlyOrStoredInItsGrammar(@ForAll("keys") String key, @ForAll("hostile") String value) {
        if (!HostileInput.refusedCleanly(() -> BridgeOptions.parse(Map.of(key, value), "ctrnet0"))) {
            BridgeOptions.parse(Map.of(key, value), "ctrnet0").asMap().forEach((k, stored) -> assertTrue(
                    stored.matches("[A-Za-z0-9_.-]{1,15}"), k + " stored as " + UserInput.quote(stored)));
        }
    }

    @Property(tries = 300)
    void anUnknownKeyIsRefusedCleanly(@ForAll("hostile") String key) {
        if (!key.equals(BridgeOptions.BRIDGE) && !key.equals(BridgeOptions.MTU) && !key.equals(BridgeOptions.MASQUERADE)
                && !key.equals(BridgeOptions.ICC)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BridgeOptions.parse(Map.of(key, "true"), "ctrnet0"));
            HostileInput.assertCleanMessage(e.getMessage());
        }
    }

    @Example
    void mtuIsADecimalNumberInTheRangeOfALink() {
        assertEquals(Optional.of(68), BridgeOptions.parse(Map.of("mtu", "68"), "b").mtu());
        assertEquals(Optional.of(65535), BridgeOptions.parse(Map.of("mtu", "65535"), "b").mtu());
        for (String invalid : new String[] {"67", "65536", "+1500", "1500 ", "١٥٠٠", "0x5dc", ""}) {
            assertThrows(IllegalArgumentException.class, () -> BridgeOptions.parse(Map.of("mtu", invalid), "b"), invalid);
        }
    }
}
