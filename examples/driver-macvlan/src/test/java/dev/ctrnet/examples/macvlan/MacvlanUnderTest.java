package dev.ctrnet.examples.macvlan;

import dev.ctrnet.api.NetworkDriver;
import dev.ctrnet.api.kernel.Kernel;
import dev.ctrnet.api.testing.DriverUnderTest;
import dev.ctrnet.api.testing.Outside;
import dev.ctrnet.core.HostKernel;
import dev.ctrnet.core.kernel.NativeNamespaces;
import dev.ctrnet.core.undo.Rollback;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The macvlan driver for the driver kit: its containers join the segment of the host's uplink, where the kit's
 * outside is, as they would join a host's LAN. The runtime's own primitives and undo come from runtime-core.
 */
final class MacvlanUnderTest implements DriverUnderTest {
    private static final Kernel KERNEL = HostKernel.of(new NativeNamespaces());

    @Override
    public NetworkDriver driver() {
        return new MacvlanDriver();
    }

    @Override
    public Kernel kernel() {
        return KERNEL;
    }

    @Override
    public void runRecorded(Kernel kernel, Consumer<Kernel> call) {
        Rollback.undoingOnFailure(kernel, call);
    }

    @Override
    public Map<String, String> options() {
        return Map.of(MacvlanOptions.PARENT, Outside.UPLINK);
    }

    @Override
    public boolean joinsUplinkSegment() {
        return true;
    }
}
