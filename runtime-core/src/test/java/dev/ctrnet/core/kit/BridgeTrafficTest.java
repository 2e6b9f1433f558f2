package dev.ctrnet.core.kit;

import dev.ctrnet.api.testing.DriverTrafficContract;

class BridgeTrafficTest extends DriverTrafficContract {
    BridgeTrafficTest() {
        super(new BridgeUnderTest());
    }
}
