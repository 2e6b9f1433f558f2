package dev.ctrnet.examples.macvlan;

import dev.ctrnet.api.testing.DriverLifecycleContract;

class MacvlanLifecycleTest extends DriverLifecycleContract {
    MacvlanLifecycleTest() {
        super(new MacvlanUnderTest());
    }
}
