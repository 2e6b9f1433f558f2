package dev.ctrnet.nat.nftables;

import dev.ctrnet.api.testing.NatBackendTrafficContract;

class NftablesTrafficTest extends NatBackendTrafficContract {
    NftablesTrafficTest() {
        super(new NftablesUnderTest());
    }
}
