package dev.ctrnet.nat.nftables;

import dev.ctrnet.api.testing.NatBackendPropertiesContract;

class NftablesProperties extends NatBackendPropertiesContract {
    NftablesProperties() {
        super(new NftablesUnderTest());
    }
}
