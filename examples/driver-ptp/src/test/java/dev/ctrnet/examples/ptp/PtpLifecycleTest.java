package dev.ctrnet.examples.ptp;

import dev.ctrnet.api.testing.DriverLifecycleContract;

class PtpLifecycleTest extends DriverLifecycleContract {
    PtpLifecycleTest() {
        super(new PtpUnderTest());
    }
}
