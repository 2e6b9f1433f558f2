package dev.ctrnet.examples.ptp;

import dev.ctrnet.api.testing.DriverTrafficContract;

class PtpTrafficTest extends DriverTrafficContract {
    PtpTrafficTest() {
        super(new PtpUnderTest());
    }
}
