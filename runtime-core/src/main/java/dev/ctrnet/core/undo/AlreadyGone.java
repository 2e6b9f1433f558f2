package dev.ctrnet.core.undo;

import dev.ctrnet.api.kernel.KernelException;

/**
 * Removing what is already gone is not an error: undo, detach and prune all walk back changes that a
 * crash, a user or the kernel may have walked back first.
 */
public final class AlreadyGone {
    private AlreadyGone() {}

    /** Runs a removal, ignoring the kernel's "no such link, file, route or address". */
    public static void ignore(Runnable removal) {
        try {
            removal.run();
        } catch (KernelException e) {
            int errno = e.errno();
            if (errno != KernelException.ENODEV && errno != KernelException.ENOENT && errno != KernelException.ESRCH
                    && errno != KernelException.EADDRNOTAVAIL) {
                throw e;
            }
        }
    }
}
