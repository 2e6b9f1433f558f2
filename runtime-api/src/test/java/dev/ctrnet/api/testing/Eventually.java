package dev.ctrnet.api.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for what the kernel or a started process does in the background: a listener bound, a link gone. */
public final class Eventually {
    /**
     * How long a test waits for something to happen. A deadline on the clock, not a number of tries: on a loaded
     * machine each try takes longer, and what is awaited too.
     */
    public static final Duration PATIENCE = Duration.ofSeconds(30);

    private Eventually() {}

    /** Whether {@code condition} holds within {@link #PATIENCE}, asked again every 20 ms until it does. */
    public static boolean holds(BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
