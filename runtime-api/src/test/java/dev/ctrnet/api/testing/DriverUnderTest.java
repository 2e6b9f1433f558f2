package dev.ctrnet.api.testing;

import dev.ctrnet.api.NetworkDriver;
import dev.ctrnet.api.kernel.Kernel;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A driver as the driver contracts test it, with what the runtime would hand it. A driver's tests implement this
 * once and hand it to each contract's constructor. ctrnet's runtime-core, a test dependency, provides the real
 * primitives and the undo:
 *
 * <pre>{@code
 * private static final Kernel KERNEL = HostKernel.of(new NativeNamespaces());
 * public Kernel kernel() { return KERNEL; }
 * public void runRecorded(Kernel kernel, Consumer<Kernel> call) { Rollback.undoingOnFailure(kernel, call); }
 * }</pre>
 */
public interface DriverUnderTest {
    /** The driver, as {@link java.util.ServiceLoader} would make it. */
    NetworkDriver driver();

    /** The real primitives, working in the test sandbox, which plays the host. */
    Kernel kernel();

    /**
     * Runs {@code call} as the runtime runs each driver call: hands it a kernel that records the undo of every
     * change it makes through {@code kernel}, and when it throws, undoes them all through {@code kernel}, newest
     * first, and throws again. A driver call never undoes its own changes: this is what makes a failed call leave
     * nothing behind.
     */
    void runRecorded(Kernel kernel, Consumer<Kernel> call);

    /** The options ({@code --opt KEY=VALUE}) of every network the contracts make; none by default. */
    default Map<String, String> options() {
        return Map.of();
    }

    /**
     * Whether the driver's containers join the segment of a host interface (as macvlan's join their parent's)
     * instead of sitting behind the host, which routes for them. The contracts then put the driver's network on
     * the {@link Outside}'s segment ({@link Outside#SUBNET}, with the outside as the gateway), and {@link #options()}
     * names {@link Outside#UPLINK} as the interface; otherwise networks get subnets of {@link
     * Outside#CONTAINER_SUBNETS} with the host as the gateway.
     */
    default boolean joinsUplinkSegment() {
        return false;
    }
}
