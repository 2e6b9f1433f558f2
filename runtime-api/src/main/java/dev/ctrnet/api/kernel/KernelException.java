package dev.ctrnet.api.kernel;

/**
 * A kernel operation failed. The message is a sentence a person understands (for example
 * "a link named ctrnet0 already exists"); {@link #errno()} is the kernel's error number, for code
 * that must tell causes apart.
 */
public class KernelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** No such file or directory. */
    public static final int ENOENT = 2;
    /** No such process (also: no such route). */
    public static final int ESRCH = 3;
    /** Permission denied at the kernel level. */
    public static final int EPERM = 1;
    /** Already exists. */
    public static final int EEXIST = 17;
    /** No such device. */
    public static final int ENODEV = 19;
    /** Invalid argument. */
    public static final int EINVAL = 22;
    /** Network is unreachable. */
    public static final int ENETUNREACH = 101;
    /** Cannot assign requested address. */
    public static final int EADDRNOTAVAIL = 99;
    /** Address already in use. */
    public static final int EADDRINUSE = 98;

    private final int errno;

    /** A failure with the kernel's error number and a human sentence. */
    public KernelException(int errno, String message) {
        super(message);
        this.errno = errno;
    }

    /** A failure with a cause. */
    public KernelException(int errno, String message, Throwable cause) {
        super(message, cause);
        this.errno = errno;
    }

    /** The kernel's error number (positive), or 0 when the failure is not an errno. */
    public int errno() {
        return errno;
    }
}
