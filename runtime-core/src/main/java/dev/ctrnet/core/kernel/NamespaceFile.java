package dev.ctrnet.core.kernel;

import com.sun.jna.LastErrorException;
import dev.ctrnet.api.kernel.KernelException;
import java.nio.file.Path;

/**
 * An open descriptor of a namespace file, for {@code setns} or {@code IFLA_NET_NS_FD}; closing it releases the
 * descriptor, not the namespace.
 *
 * @param fd the descriptor
 * @param path the file it was opened from
 * @param type its kind, as {@code NS_GET_NSTYPE} answers and {@code setns} takes it ({@code CLONE_NEWNET}, …)
 */
record NamespaceFile(int fd, Path path, int type) implements AutoCloseable {
    /**
     * Opens {@code path} and checks that it refers to a network namespace.
     *
     * @throws KernelException ENOENT when there is no file or it is not a network namespace
     */
    static NamespaceFile open(Path path) {
        return open(path, LibC.CLONE_NEWNET);
    }

    /**
     * Opens {@code path} and checks that it refers to a namespace of {@code type} ({@code CLONE_NEWNET}, …).
     *
     * @throws KernelException ENOENT when there is no file or it is not a namespace of that type
     */
    static NamespaceFile open(Path path, int type) {
        int fd;
        try {
            fd = LibC.open(path.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == LibC.ENOENT) {
                throw new KernelException(KernelException.ENOENT, "no " + kind(type) + " namespace at " + path, e);
            }
            throw Syscalls.failure("open the namespace file " + path, e.getErrorCode(), e);
        }
        NamespaceFile file = new NamespaceFile(fd, path, type);
        try {
            if (LibC.ioctl(fd, LibC.NS_GET_NSTYPE) != type) {
                throw notANamespace(path, type, null);
            }
            return file;
        } catch (LastErrorException e) {
            // ENOTTY and friends: the file is not a namespace at all.
            file.close();
            throw notANamespace(path, type, e);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    private static KernelException notANamespace(Path path, int type, Throwable cause) {
        return new KernelException(KernelException.ENOENT, path + " is not a " + kind(type) + " namespace", cause);
    }

    private static String kind(int type) {
        return type == LibC.CLONE_NEWNET ? "network" : type == LibC.CLONE_NEWUTS ? "UTS" : "type " + type;
    }

    /** Moves the calling thread into this namespace ({@code setns(fd, type)}). */
    void enter() {
        Syscalls.call("enter the " + kind(type) + " namespace " + path, () -> LibC.setns(fd, type));
    }

    @Override
    public void close() {
        try {
            LibC.close(fd);
        } catch (LastErrorException ignored) {
            // The descriptor is released even when close reports an error.
        }
    }
}
