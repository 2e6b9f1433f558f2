package dev.ctrnet.core.kit;

import dev.ctrnet.api.testing.DriverFirewallContract;
import dev.ctrnet.nat.iptables.IptablesBackend;

class BridgeIptablesFirewallTest extends DriverFirewallContract {
    BridgeIptablesFirewallTest() {
        super(new BridgeUnderTest(), new IptablesBackend());
    }
}
