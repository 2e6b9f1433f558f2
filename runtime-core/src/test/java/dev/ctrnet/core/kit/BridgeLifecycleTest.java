package dev.ctrnet.core.kit;

import dev.ctrnet.api.testing.DriverLifecycleContract;

class BridgeLifecycleTest extends DriverLifecycleContract {
    BridgeLifecycleTest() {
        super(new BridgeUnderTest());
    }
}
