package dev.ctrnet.examples.ptp;

import dev.ctrnet.api.NetworkDriver;
import dev.ctrnet.api.kernel.Kernel;
import dev.ctrnet.api.testing.DriverUnderTest;
import dev.ctrnet.core.HostKernel;
import dev.ctrnet.core.kernel.NativeNamespaces;
import dev.ctrnet.core.undo.Rollback;
import java.util.function.Consumer;

/**
 * The ptp driver for the driver kit: the host routes for its containers, so its networks take the kit's defaults
 * (subnets behind the host, the host as the gateway). The runtime's own primitives and undo come from runtime-core.
 */
final class PtpUnderTest implements DriverUnderTest {
    private static final Kernel KERNEL = HostKernel.of(new NativeNamespaces());

    @Override
    public NetworkDriver driver() {
        return new PtpDriver();
    }

    @Override
    public Kernel kernel() {
        return KERNEL;
    }

    @Override
    public void runRecorded(Kernel kernel, Consumer<Kernel> call) {
        Rollback.undoingOnFailure(kernel, call);
    }
}
