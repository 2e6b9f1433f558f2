package dev.ctrnet.nat.iptables;

import dev.ctrnet.api.testing.NatBackendTrafficContract;

class IptablesTrafficTest extends NatBackendTrafficContract {
    IptablesTrafficTest() {
        super(new IptablesUnderTest());
    }
}
