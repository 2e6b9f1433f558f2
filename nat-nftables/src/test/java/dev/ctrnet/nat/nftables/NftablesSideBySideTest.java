package dev.ctrnet.nat.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.firewall.FirewallPlan;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two rule sets side by side, as two state roots on one host keep them, in the sandbox's topology (see
 * {@link Topology}): both carry traffic at once, and removing either leaves the other's table byte for byte.
 */
class NftablesSideBySideTest {
    private static final FirewallPlan DEFAULT = new FirewallPlan(GoldenPlan.NAME, List.of(Topology.WEB),
            List.of(GoldenPlan.port("web", "c1", "10.77.0.2", "8080:80")));
    private static final FirewallPlan OTHER = new FirewallPlan("ctrnet-abc123", List.of(Topology.OTHER),
            List.of(GoldenPlan.port("other", "c3", "10.78.0.2", "8082:80")));

    private static Topology topology;
    private static final NftablesBackend BACKEND = new NftablesBackend();
    private static final ProcessPrograms PROGRAMS = new ProcessPrograms();

    @BeforeAll
    static void build() {
        topology = new Topology();
        topology.listenTcp("c1", 80);
        topology.listenTcp("c3", 80);
        topology.listenTcp("out", 9000);
        BACKEND.remove(DEFAULT.name(), PROGRAMS);
        BACKEND.remove(OTHER.name(), PROGRAMS);
        BACKEND.apply(DEFAULT, PROGRAMS);
        BACKEND.apply(OTHER, PROGRAMS);
    }

    @AfterAll
    static void tearDown() {
        BACKEND.remove(DEFAULT.name(), PROGRAMS);
        BACKEND.remove(OTHER.name(), PROGRAMS);
        topology.close();
    }

    @Test
    void bothRuleSetsWorkAtOnce() {
        assertTrue(listing(DEFAULT).contains("tcp . 8080 : 10.77.0.2 . 80"), listing(DEFAULT));
        assertTrue(listing(OTHER).contains("tcp . 8082 : 10.78.0.2 . 80"), listing(OTHER));
        assertDefaultAnswers();
        assertOtherAnswers();
    }

    @Test
    void removingEitherLeavesTheOtherByteForByte() {
        String other = listing(OTHER);
        BACKEND.remove(DEFAULT.name(), PROGRAMS);
        assertEquals(other, listing(OTHER));
        assertFalse(Shell.ok("nft list tables").contains("table inet ctrnet\n"));
        assertEquals("", Topology.tcp("out", "198.51.100.1", 8080));
        assertOtherAnswers();
        BACKEND.apply(DEFAULT, PROGRAMS);

        String defaultTable = listing(DEFAULT);
        BACKEND.remove(OTHER.name(), PROGRAMS);
        assertEquals(defaultTable, listing(DEFAULT));
        assertFalse(Shell.ok("nft list tables").contains("table inet ctrnet-abc123\n"));
        assertEquals("", Topology.tcp("out", "198.51.100.1", 8082));
        assertDefaultAnswers();
        BACKEND.apply(OTHER, PROGRAMS);
    }

    private static void assertDefaultAnswers() {
        assertTrue(Topology.tcp("out", "198.51.100.1", 8080).startsWith("c1-80 "));
        assertEquals("out-9000 from 198.51.100.1", Topology.tcp("c1", "198.51.100.2", 9000));
    }

    private static void assertOtherAnswers() {
        assertTrue(Topology.tcp("out", "198.51.100.1", 8082).startsWith("c3-80 "));
        assertEquals("out-9000 from 198.51.100.1", Topology.tcp("c3", "198.51.100.2", 9000));
    }

    private static String listing(FirewallPlan plan) {
        return Shell.ok("nft list table " + NftablesScript.table(plan.name()));
    }
}
