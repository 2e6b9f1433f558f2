package dev.ctrnet.nat.nftables;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.testing.NatBackendSideBySideContract;

class NftablesSideBySideTest extends NatBackendSideBySideContract {
    NftablesSideBySideTest() {
        super(new NftablesUnderTest());
    }

    /** Each table maps its port in its DNAT map. */
    @Override
    protected void assertBothRuleSetsListTheirPort() {
        String defaultTable = underTest().ownRules(DEFAULT);
        String otherTable = underTest().ownRules(OTHER);
        assertTrue(defaultTable.contains("tcp . 8080 : 10.77.0.2 . 80"), defaultTable);
        assertTrue(otherTable.contains("tcp . 8082 : 10.78.0.2 . 80"), otherTable);
    }
}
