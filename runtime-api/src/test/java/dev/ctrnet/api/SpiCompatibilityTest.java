package dev.ctrnet.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.kernel.Kernel;
import dev.ctrnet.api.kernel.Programs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every 2.x keeps what a plugin built against SPI 2.0 links against, and a plugin that implements only what 2.0
 * asked of it gets defaults that keep the runtime working as before.
 */
class SpiCompatibilityTest {
    /** The public surface of SPI 2.0, as recorded when it was the current version. */
    private static final Path SPI_2_0 = Path.of("src/test/resources/api-signature-2.0.txt");

    @Test
    void everySignatureOfSpi20IsStillThere() throws Exception {
        List<String> recorded = Files.readAllLines(SPI_2_0).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        Set<String> now = new HashSet<>(ApiSignature.ofThisModule());

        // a method that was abstract may since have a default: callers and implementers link to it alike
        List<String> gone = recorded.stream()
                .filter(l -> !now.contains(l) && !now.contains(l.replace(" :: public abstract ", " :: public default ")))
                .toList();

        assertTrue(recorded.size() > 300, "the 2.0 surface was read: " + recorded.size() + " lines");
        assertEquals(List.of(), gone, "what a plugin built against SPI 2.0 links against must stay");
    }

    @Test
    void aDriverImplementingOnlyWhat20AskedDeclaresNoNetworkAndKeepsEveryOtherDefault() {
        NetworkDriver driver = new NetworkDriver() {
            @Override
            public String name() {
                return "old";
            }

            @Override
            public Network validate(Network requested) {
                return requested;
            }

            @Override
            public void create(Network network, Kernel kernel) {}

            @Override
            public void delete(Network network, Kernel kernel) {}

            @Override
            public Attachment attach(Network network, Endpoint endpoint, Kernel kernel) {
                return Attachment.none();
            }

            @Override
            public void detach(Network network, Endpoint endpoint, Attachment attachment, Kernel kernel,
                    boolean sandboxGoing) {}
        };

        assertEquals(List.of(), driver.builtInNetworks(""));
        assertEquals(List.of(), driver.builtInNetworks("a1b2c3"));
        assertEquals(SpiVersion.string(), driver.version());
        assertTrue(driver.usesAddresses());
        assertFalse(driver.sharesHostNamespace());
    }

    @Test
    void aBackendImplementingOnlyWhat20AskedIsPreferredLeast() {
        NatBackend backend = new NatBackend() {
            @Override
            public String name() {
                return "old";
            }

            @Override
            public Optional<String> unavailableReason(Programs programs) {
                return Optional.empty();
            }

            @Override
            public String render(FirewallPlan plan) {
                return "";
            }

            @Override
            public void apply(FirewallPlan plan, Programs programs) {}

            @Override
            public void remove(String name, Programs programs) {}
        };

        assertEquals(0, backend.preference());
        assertEquals(SpiVersion.string(), backend.version());
    }
}
