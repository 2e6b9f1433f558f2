package dev.ctrnet.core.kit;

import dev.ctrnet.api.NetworkDriver;
import dev.ctrnet.api.kernel.Kernel;
import dev.ctrnet.api.testing.DriverUnderTest;
import dev.ctrnet.core.HostKernel;
import dev.ctrnet.core.kernel.NativeNamespaces;
import dev.ctrnet.core.undo.Rollback;
import dev.ctrnet.driver.bridge.BridgeDriver;
import java.util.function.Consumer;

/**
 * The bridge driver for the driver kit, with the runtime's own primitives and undo. It is tested here rather than in
 * driver-bridge, which runtime-core's tests depend on: a test dependency back on runtime-core would be a cycle.
 */
final class BridgeUnderTest implements DriverUnderTest {
    private static final Kernel KERNEL = HostKernel.of(new NativeNamespaces());

    @Override
    public NetworkDriver driver() {
        return new BridgeDriver();
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
