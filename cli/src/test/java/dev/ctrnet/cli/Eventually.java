package dev.ctrnet.cli;

import java.util.function.BooleanSupplier;

/** Waiting for what the kernel or a started process does in the background. */
final class Eventually {
    private Eventually() {}

    /** Whether {@code condition} holds within the kit's deadline (see {@link dev.ctrnet.api.testing.Eventually}). */
    static boolean holds(BooleanSupplier condition) {
        return dev.ctrnet.api.testing.Eventually.holds(condition);
    }
}
