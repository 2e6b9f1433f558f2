package dev.ctrnet.core.kit;

import dev.ctrnet.api.NetworkDriver;
import dev.ctrnet.api.kernel.Kernel;
import dev.ctrnet.api.kernel.Namespaces;
import dev.ctrnet.api.kernel.Sysctl;
import dev.ctrnet.api.testing.DriverUnderTest;
import dev.ctrnet.core.kernel.NativeNamespaces;
import dev.ctrnet.core.kernel.ProcSysctl;
import dev.ctrnet.core.undo.RecordingKernel;
import dev.ctrnet.core.undo.Rollback;
import dev.ctrnet.driver.bridge.BridgeDriver;
import java.util.function.Consumer;

/**
 * The bridge driver for the driver kit, with the runtime's own primitives and undo. It is tested here rather than in
 * driver-bridge, which runtime-core's tests depend on: a test dependency back on runtime-core would be a cycle.
 */
final class BridgeUnderTest implements DriverUnderTest {
    private static final NativeNamespaces NAMESPACES = new NativeNamespaces();
    private static final Sysctl SYSCTL = new ProcSysctl(NAMESPACES);

    @Override
    public NetworkDriver driver() {
        return new BridgeDriver();
    }

    @Override
    public Kernel kernel() {
        return new Kernel() {
            @Override
            public Namespaces namespaces() {
                return NAMESPACES;
            }

            @Override
            public Sysctl sysctl() {
                return SYSCTL;
            }
        };
    }

    /** As the runtime runs each driver call (see {@code Connections.connect}, {@code Networks.make}). */
    @Override
    public void runRecorded(Kernel kernel, Consumer<Kernel> call) {
        Rollback rollback = new Rollback();
        try {
            call.accept(new RecordingKernel(kernel, rollback));
        } catch (RuntimeException e) {
            rollback.undoAll(kernel, e);
            throw e;
        }
    }
}
