package dev.ctrnet.nat.iptables;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.testing.NatBackendSideBySideContract;

class IptablesSideBySideTest extends NatBackendSideBySideContract {
    IptablesSideBySideTest() {
        super(new IptablesUnderTest());
    }

    /** Each rule set has its DNAT rule, and every jump into its chains. */
    @Override
    protected void assertBothRuleSetsListTheirPort() {
        String defaultRules = underTest().ownRules(DEFAULT);
        String otherRules = underTest().ownRules(OTHER);
        assertTrue(IptablesUnderTest.savedLines(DEFAULT).contains("-A CTRNET-DNAT -p tcp -m tcp --dport 8080"
                + " -m comment --comment \"ctrnet:c1\" -j DNAT --to-destination 10.77.0.2:80"), defaultRules);
        assertTrue(IptablesUnderTest.savedLines(OTHER).contains("-A CTRNET-ABC123-DNAT -p tcp -m tcp --dport 8082"
                + " -m comment --comment \"ctrnet-abc123:c3\" -j DNAT --to-destination 10.78.0.2:80"), otherRules);
        for (Jump jump : Jump.values()) {
            assertTrue(IptablesUnderTest.savedLines(DEFAULT).contains(jump.saved(Chains.of(DEFAULT))), defaultRules);
            assertTrue(IptablesUnderTest.savedLines(OTHER).contains(jump.saved(Chains.of(OTHER))), otherRules);
        }
    }
}
