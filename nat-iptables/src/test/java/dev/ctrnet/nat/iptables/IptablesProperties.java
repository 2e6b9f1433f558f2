package dev.ctrnet.nat.iptables;

import dev.ctrnet.api.testing.NatBackendPropertiesContract;

class IptablesProperties extends NatBackendPropertiesContract {
    IptablesProperties() {
        super(new IptablesUnderTest());
    }
}
