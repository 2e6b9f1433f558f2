package dev.ctrnet.examples.macvlan;

import dev.ctrnet.api.testing.DriverTrafficContract;

/** Macvlan declares no firewall zone (the host routes nothing for it): the firewall contract does not apply. */
class MacvlanTrafficTest extends DriverTrafficContract {
    MacvlanTrafficTest() {
        super(new MacvlanUnderTest());
    }
}
