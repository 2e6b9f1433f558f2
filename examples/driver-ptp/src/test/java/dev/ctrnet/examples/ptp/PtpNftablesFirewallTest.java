package dev.ctrnet.examples.ptp;

import dev.ctrnet.api.testing.DriverFirewallContract;
import dev.ctrnet.core.kernel.ProcessPrograms;
import dev.ctrnet.libnftables.LibraryNftables;
import dev.ctrnet.nat.nftables.NftablesBackend;

/** With the nftables backend, handed nftables' library as the runtime hands it. */
class PtpNftablesFirewallTest extends DriverFirewallContract {
    PtpNftablesFirewallTest() {
        super(new PtpUnderTest(), new NftablesBackend(), ProcessPrograms.fromEnvironment(LibraryNftables::shared));
    }
}
