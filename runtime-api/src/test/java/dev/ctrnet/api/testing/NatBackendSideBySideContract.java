package dev.ctrnet.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.NatBackend;
import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.kernel.Programs;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two rule sets side by side, as two state roots on one host keep them, in the sandbox's topology (see
 * {@link Topology}): both carry traffic at once, and removing either leaves the other's rules byte for byte.
 */
@Privileged
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class NatBackendSideBySideContract {
    /** The default state root's rule set: c1's port 80 published on 8080. */
    protected static final FirewallPlan DEFAULT = new FirewallPlan(GoldenPlan.NAME, List.of(Topology.WEB),
            List.of(GoldenPlan.port("web", "c1", "10.77.0.2", "8080:80")));
    /** Another state root's rule set: c3's port 80 published on 8082. */
    protected static final FirewallPlan OTHER = new FirewallPlan(GoldenPlan.OTHER_NAME, List.of(Topology.OTHER),
            List.of(GoldenPlan.port("other", "c3", "10.78.0.2", "8082:80")));

    private static final PublishingRuleSet DEFAULT_PORT = new PublishingRuleSet(DEFAULT, "c1", 8080);
    private static final PublishingRuleSet OTHER_PORT = new PublishingRuleSet(OTHER, "c3", 8082);

    private final NatBackendUnderTest underTest;
    private final NatBackend backend;
    private final Programs programs;
    private Topology topology;

    /** The contract for {@code underTest}. */
    protected NatBackendSideBySideContract(NatBackendUnderTest underTest) {
        this.underTest = underTest;
        this.backend = underTest.backend();
        this.programs = underTest.programs();
    }

    /**
     * Fails unless the rules of {@link #DEFAULT} and of {@link #OTHER}, as the backend's tool lists them,
     * each hold their published port, in the words the backend writes it.
     */
    protected abstract void assertBothRuleSetsListTheirPort();

    /** The backend under test, for the hook's listings. */
    protected final NatBackendUnderTest underTest() {
        return underTest;
    }

    /** Builds the topology with its listeners and applies both rule sets. */
    @BeforeAll
    public void build() {
        topology = new Topology();
        topology.listenTcp("c1", 80);
        topology.listenTcp("c3", 80);
        topology.listenTcp("out", 9000);
        backend.remove(DEFAULT.name(), programs);
        backend.remove(OTHER.name(), programs);
        backend.apply(DEFAULT, programs);
        backend.apply(OTHER, programs);
    }

    /** Removes both rule sets and the topology. */
    @AfterAll
    public void tearDown() {
        backend.remove(DEFAULT.name(), programs);
        backend.remove(OTHER.name(), programs);
        topology.close();
    }

    @Test
    public void bothRuleSetsWorkAtOnce() {
        assertBothRuleSetsListTheirPort();
        assertAnswers(DEFAULT_PORT);
        assertAnswers(OTHER_PORT);
    }

    @Test
    public void removingEitherLeavesTheOtherByteForByte() {
        assertRemovingLeavesTheOther(DEFAULT_PORT, OTHER_PORT);
        assertRemovingLeavesTheOther(OTHER_PORT, DEFAULT_PORT);
    }

    /** Removes {@code removed}'s rule set, checks that {@code kept}'s is untouched and working, and restores it. */
    private void assertRemovingLeavesTheOther(PublishingRuleSet removed, PublishingRuleSet kept) {
        String keptRules = underTest.ownRules(kept.plan());
        backend.remove(removed.plan().name(), programs);
        assertEquals(keptRules, underTest.ownRules(kept.plan()));
        assertFalse(underTest.holds(removed.plan()), () -> underTest.ownRules(removed.plan()));
        assertEquals("", Topology.tcp("out", "198.51.100.1", removed.hostPort()));
        assertAnswers(kept);
        backend.apply(removed.plan(), programs);
    }

    /** The rule set's container answers on its host port from outside, and leaves masqueraded. */
    private static void assertAnswers(PublishingRuleSet ruleSet) {
        assertTrue(Topology.tcp("out", "198.51.100.1", ruleSet.hostPort()).startsWith(ruleSet.container() + "-80 "));
        assertEquals("out-9000 from 198.51.100.1", Topology.tcp(ruleSet.container(), "198.51.100.2", 9000));
    }

    /** A rule set of this test and the one port it publishes: {@code container}'s port 80 on {@code hostPort}. */
    private record PublishingRuleSet(FirewallPlan plan, String container, int hostPort) {}
}
