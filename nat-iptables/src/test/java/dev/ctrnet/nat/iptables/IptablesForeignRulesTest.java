package dev.ctrnet.nat.iptables;

import dev.ctrnet.api.testing.NatBackendForeignRulesContract;

class IptablesForeignRulesTest extends NatBackendForeignRulesContract {
    IptablesForeignRulesTest() {
        super(new IptablesUnderTest());
    }
}
