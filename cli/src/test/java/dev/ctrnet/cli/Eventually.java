package dev.ctrnet.cli;

import java.util.function.BooleanSupplier;

/** Waiting for what the kernel or a started process does in the background. */
final class Eventually {
    private Eventually() {}

    /** Polls for up to 10 s (the kernel destroys a deleted namespace's veth in the background). */
    static boolean holds(BooleanSupplier condition) {
        for (int i = 0; i < 500; i++) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
