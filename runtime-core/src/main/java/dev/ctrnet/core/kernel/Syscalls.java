package dev.ctrnet.core.kernel;

import com.sun.jna.LastErrorException;
import dev.ctrnet.api.kernel.KernelException;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/** Turns a failed C call into a {@link KernelException} with errno and a sentence. */
final class Syscalls {
    static final String PERMISSION_DENIED = "permission denied: ctrnet must run as root (CAP_NET_ADMIN)";

    private Syscalls() {
    }

    /** Runs {@code call}; on failure says "cannot {@code what}: reason". */
    static int call(String what, IntSupplier call) {
        try {
            return call.getAsInt();
        } catch (LastErrorException e) {
            throw failure(what, e.getErrorCode(), e);
        }
    }

    /** Runs {@code call} again as long as a signal interrupts it ({@code EINTR}). */
    static long retryingInterrupts(String what, LongSupplier call) {
        while (true) {
            try {
                return call.getAsLong();
            } catch (LastErrorException e) {
                if (e.getErrorCode() != LibC.EINTR) {
                    throw failure(what, e.getErrorCode(), e);
                }
            }
        }
    }

    static KernelException failure(String what, int errno, Throwable cause) {
        if (errno == KernelException.EPERM || errno == 13) {
            return new KernelException(errno, PERMISSION_DENIED + " (cannot " + what + ")", cause);
        }
        return new KernelException(errno, "cannot " + what + ": " + reason(errno), cause);
    }

    /** The C library's short text for errno, e.g. "No such device". */
    static String reason(int errno) {
        return LibC.strerror(errno);
    }
}
