package dev.ctrnet.nat.nftables;

import dev.ctrnet.api.testing.NatBackendForeignRulesContract;

class NftablesForeignRulesTest extends NatBackendForeignRulesContract {
    NftablesForeignRulesTest() {
        super(new NftablesUnderTest());
    }
}
