package dev.ctrnet.core.kit;

import dev.ctrnet.api.testing.DriverFirewallContract;
import dev.ctrnet.core.kernel.ProcessPrograms;
import dev.ctrnet.libnftables.LibraryNftables;
import dev.ctrnet.nat.nftables.NftablesBackend;

/** With the nftables backend, handed nftables' library as the runtime hands it. */
class BridgeNftablesFirewallTest extends DriverFirewallContract {
    BridgeNftablesFirewallTest() {
        super(new BridgeUnderTest(), new NftablesBackend(), ProcessPrograms.fromEnvironment(LibraryNftables::shared));
    }
}
