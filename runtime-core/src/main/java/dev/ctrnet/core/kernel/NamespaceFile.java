package dev.ctrnet.core.kernel;

import com.sun.jna.LastErrorException;
import dev.ctrnet.api.kernel.KernelException;
import java.nio.file.Path;

/**
 * An open descriptor of a network-namespace file, for {@code setns} or {@code IFLA_NET_NS_FD}; closing
 * it releases the descriptor, not the namespace.
 *
 * @param fd the descriptor
 * @param path the file it was opened from
 */
record NamespaceFile(int fd, Path path) implements AutoCloseable {
    /** {@code CLONE_NEWNET}, what {@code NS_GET_NSTYPE} answers for a network namespace. */
    private static final int NETWORK = LibC.CLONE_NEWNET;

    /**
     * Opens {@code path} and checks that it refers to a network namespace.
     *
     * @throws KernelException ENOENT when there is no file or it is not a network namespace
     */
    static NamespaceFile open(Path path) {
        int fd;
        try {
            fd = LibC.INSTANCE.open(path.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == LibC.ENOENT) {
                throw new KernelException(KernelException.ENOENT, "no network namespace at " + path, e);
            }
            throw Syscalls.failure("open the namespace file " + path, e.getErrorCode(), e);
        }
        NamespaceFile file = new NamespaceFile(fd, path);
        try {
            if (LibC.INSTANCE.ioctl(fd, LibC.NS_GET_NSTYPE) != NETWORK) {
                throw notANetworkNamespace(path, null);
            }
            return file;
        } catch (LastErrorException e) {
            // ENOTTY and friends: the file is not a namespace at all.
            file.close();
            throw notANetworkNamespace(path, e);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    private static KernelException notANetworkNamespace(Path path, Throwable cause) {
        return new KernelException(KernelException.ENOENT, path + " is not a network namespace", cause);
    }

    /** Moves the calling thread into this namespace ({@code setns(fd, CLONE_NEWNET)}). */
    void enter() {
        Syscalls.call("enter the network namespace " + path, () -> LibC.INSTANCE.setns(fd, LibC.CLONE_NEWNET));
    }

    @Override
    public void close() {
        try {
            LibC.INSTANCE.close(fd);
        } catch (LastErrorException ignored) {
            // The descriptor is released even when close reports an error.
        }
    }
}
