package dev.ctrnet.examples.ptp;

import dev.ctrnet.api.testing.DriverFirewallContract;
import dev.ctrnet.nat.iptables.IptablesBackend;

class PtpIptablesFirewallTest extends DriverFirewallContract {
    PtpIptablesFirewallTest() {
        super(new PtpUnderTest(), new IptablesBackend());
    }
}
