package dev.ctrnet.core.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Platform;
import com.sun.jna.ptr.IntByReference;
import dev.ctrnet.api.kernel.KernelException;
import java.nio.file.Path;

/**
 * One function per kernel call that a container's launch makes on a thread of its own (namespaces,
 * mounts, the thread's capabilities, waiting for a child) and that the plugin loader makes to open a
 * path one component at a time. Each is named after its call, acts on
 * the calling thread where the kernel says so, and throws a {@link KernelException} carrying errno.
 */
public final class KernelCalls {
    public static final int CLONE_NEWNS = LibC.CLONE_NEWNS;
    public static final int CLONE_NEWIPC = LibC.CLONE_NEWIPC;
    public static final int CLONE_NEWPID = LibC.CLONE_NEWPID;
    public static final int CLONE_NEWNET = LibC.CLONE_NEWNET;
    public static final int CLONE_NEWUTS = LibC.CLONE_NEWUTS;
    public static final int CLONE_FS = LibC.CLONE_FS;

    public static final long MS_RDONLY = LibC.MS_RDONLY;
    public static final long MS_NOSUID = LibC.MS_NOSUID;
    public static final long MS_NODEV = LibC.MS_NODEV;
    public static final long MS_NOEXEC = LibC.MS_NOEXEC;
    public static final long MS_REMOUNT = LibC.MS_REMOUNT;
    public static final long MS_NOSYMFOLLOW = LibC.MS_NOSYMFOLLOW;
    public static final long MS_BIND = LibC.MS_BIND;
    public static final long MS_REC = LibC.MS_REC;
    public static final long MS_PRIVATE = LibC.MS_PRIVATE;
    public static final int MNT_DETACH = LibC.MNT_DETACH;

    public static final int O_RDONLY = LibC.O_RDONLY;
    public static final int O_WRONLY = LibC.O_WRONLY;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = LibC.O_CREAT;
    public static final int O_TRUNC = LibC.O_TRUNC;
    public static final int O_APPEND = LibC.O_APPEND;
    public static final int O_NONBLOCK = LibC.O_NONBLOCK;
    public static final int O_CLOEXEC = LibC.O_CLOEXEC;
    public static final int O_NOCTTY = LibC.O_NOCTTY;
    /** {@code O_PATH}: a descriptor that names a file (a folder to resolve from) without opening it. */
    public static final int O_PATH = 0x200000;
    /** {@code openat}'s folder for a path from the working folder (or an absolute one). */
    public static final int AT_FDCWD = -100;
    private static final int F_SETFL = 4;
    /** What {@code openat} with {@link #noFollow} says of a symbolic link. */
    public static final int ELOOP = 40;

    public static final int SIGKILL = 9;

    private KernelCalls() {}

    /** {@code unshare(flags)}: the calling thread gets new namespaces (or its own fs with {@code CLONE_FS}). */
    public static void unshare(int flags) {
        Syscalls.call("unshare namespaces (flags 0x" + Integer.toHexString(flags) + ")",
                () -> LibC.unshare(flags));
    }

    /** {@code setns} into the namespace of kind {@code type} that the file {@code namespace} refers to. */
    public static void setns(Path namespace, int type) {
        int fd = open(namespace.toString(), O_RDONLY | O_CLOEXEC);
        try {
            Syscalls.call("enter the namespace " + namespace, () -> LibC.setns(fd, type));
        } finally {
            close(fd);
        }
    }

    /** {@code mount(source, target, type, flags, data)}. */
    public static void mount(String source, String target, String type, long flags, String data) {
        Syscalls.call("mount " + (type != null ? type : source) + " on " + target,
                () -> LibC.mount(source, target, type, flags, data));
    }

    /** {@code umount2(target, flags)}; false when there was nothing to unmount (not a mount point, or no file). */
    public static boolean umount2(String target, int flags) {
        try {
            LibC.umount2(target, flags);
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == LibC.EINVAL || e.getErrorCode() == LibC.ENOENT) {
                return false;
            }
            throw Syscalls.failure("unmount " + target, e.getErrorCode(), e);
        }
    }

    /** {@code pivot_root(newRoot, putOld)} for the calling thread's mount namespace. */
    public static void pivotRoot(String newRoot, String putOld) {
        Syscalls.call("pivot_root into " + newRoot, () -> {
            LibC.pivotRoot(newRoot, putOld);
            return 0;
        });
    }

    /** {@code chdir(path)}: the calling thread's working folder, once it has an fs of its own. */
    public static void chdir(String path) {
        Syscalls.call("change to " + path, () -> LibC.chdir(path));
    }

    /** {@code mknod} of a character device {@code major:minor}, permissions as the caller's umask leaves them. */
    public static void mknodCharacter(String path, int mode, int major, int minor) {
        long dev = ((long) (major & 0xfff) << 8) | (minor & 0xff) | ((long) (minor & ~0xff) << 12)
                | ((long) (major & ~0xfff) << 32);
        Syscalls.call("make the device " + path, () -> LibC.mknod(path, LibC.S_IFCHR | mode, dev));
    }

    /** {@code mkfifo(path, mode)}. */
    public static void mkfifo(Path path, int mode) {
        Syscalls.call("make the pipe " + path, () -> LibC.mkfifo(path.toString(), mode));
    }

    /**
     * The {@code MS_RDONLY}, {@code MS_NOSUID}, {@code MS_NODEV} and {@code MS_NOEXEC} flags of the mount
     * {@code path} is on ({@code statvfs}'s {@code f_flag}, whose bits are those of {@code mount}), which a
     * remount must repeat to keep.
     */
    public static long mountFlags(String path) {
        Memory buffer = new Memory(256);
        Syscalls.call("read the mount flags of " + path, () -> LibC.statvfs(path, buffer));
        return buffer.getLong(72) & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC);
    }

    /** {@code prctl(PR_CAPBSET_DROP, capability)}: the calling thread's bounding set loses it for good. */
    public static void capbsetDrop(int capability) {
        Syscalls.call("drop capability " + capability + " from the bounding set",
                () -> LibC.prctl(LibC.PR_CAPBSET_DROP, capability, 0, 0, 0));
    }

    /** {@code prctl(PR_SET_NO_NEW_PRIVS, 1)}: the calling thread and what it starts gain no privileges by exec. */
    public static void setNoNewPrivs() {
        Syscalls.call("set no_new_privs", () -> LibC.prctl(LibC.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
    }

    /** {@code capset} with the calling thread's effective and permitted sets as they are and nothing inheritable. */
    public static void capsetNoInheritable() {
        int[] header = {LibC.CAPABILITY_VERSION_3, 0};
        int[] data = new int[6];
        Syscalls.call("read the thread's capabilities", () -> LibC.capget(header, data));
        data[2] = 0;
        data[5] = 0;
        Syscalls.call("clear the inheritable capabilities", () -> LibC.capset(header, data));
    }

    /** The C library's text for {@code errno}, e.g. "Permission denied". */
    public static String strerror(int errno) {
        return Syscalls.reason(errno);
    }

    /** The calling thread's kernel id ({@code gettid}). */
    public static int gettid() {
        return LibC.gettid();
    }

    /** {@code open(path, flags)}; the descriptor is the caller's to {@link #close}. */
    public static int open(String path, int flags) {
        return Syscalls.call("open " + path, () -> LibC.open(path, flags));
    }

    /**
     * Opens a named pipe for reading without waiting for a writer, as {@code O_NONBLOCK} does, then makes
     * its reads wait for data again: they return 0 once no writer is left, at once if there was none.
     */
    public static int openPipeForReading(Path pipe) {
        int fd = open(pipe.toString(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        try {
            Syscalls.call("make " + pipe + " blocking", () -> LibC.fcntl(fd, F_SETFL, 0));
        } catch (RuntimeException e) {
            close(fd);
            throw e;
        }
        return fd;
    }

    /** {@code openat(dirfd, name, flags)}. */
    public static int openat(int dirfd, String name, int flags) {
        return Syscalls.call("open " + name, () -> LibC.openat(dirfd, name, flags));
    }

    /** {@code O_NOFOLLOW}, which unlike the other flags differs between architectures. */
    public static int noFollow() {
        return switch (Platform.ARCH) {
            case "x86-64" -> 0x20000;
            case "aarch64" -> 0x8000;
            default -> throw new UnsupportedOperationException("O_NOFOLLOW is not mapped on " + Platform.ARCH);
        };
    }

    /** {@code readlinkat(dirfd, name)} into {@code buffer}: the length of the link's target. */
    public static long readlinkat(int dirfd, String name, byte[] buffer) {
        return Syscalls.retryingInterrupts("read the link " + name,
                () -> LibC.readlinkat(dirfd, name, buffer, buffer.length));
    }

    /** {@code read(fd)} into {@code buffer}, again when a signal interrupts it: 0 at the end. */
    public static long read(int fd, byte[] buffer) {
        return Syscalls.retryingInterrupts("read", () -> LibC.read(fd, buffer, buffer.length));
    }

    /**
     * {@code write(fd)} of {@code length} bytes of {@code buffer} from {@code offset}, again when a signal interrupts
     * it: how many the kernel took, 0 when {@code fd} is non-blocking and cannot take any now ({@code EAGAIN}).
     */
    public static long write(int fd, byte[] buffer, int offset, int length) {
        byte[] bytes = offset == 0 ? buffer : java.util.Arrays.copyOfRange(buffer, offset, offset + length);
        try {
            return Syscalls.retryingInterrupts("write", () -> LibC.write(fd, bytes, length));
        } catch (KernelException e) {
            if (e.errno() == LibC.EAGAIN) {
                return 0;
            }
            throw e;
        }
    }

    /**
     * A copy of descriptor {@code fd} of process {@code pid} in this one ({@code pidfd_open}, {@code pidfd_getfd}, Linux
     * 5.6): the same open file, its offset shared, as if the process had passed it. Close-on-exec; the caller's to
     * {@link #close}.
     */
    public static int copyDescriptor(long pid, int fd) {
        int pidfd = (int) Syscalls.retryingInterrupts("open process " + pid,
                () -> LibC.syscall(LibC.SYS_PIDFD_OPEN, pid, 0, 0));
        try {
            return (int) Syscalls.retryingInterrupts("copy descriptor " + fd + " of process " + pid,
                    () -> LibC.syscall(LibC.SYS_PIDFD_GETFD, pidfd, fd, 0));
        } finally {
            close(pidfd);
        }
    }

    /** {@code close(fd)}; the descriptor is released even when close reports an error. */
    public static void close(int fd) {
        try {
            LibC.close(fd);
        } catch (LastErrorException ignored) {
            // released all the same
        }
    }

    /** Reads {@code fd} to its end ({@code read} until it returns 0), as text. */
    public static String readAll(int fd) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        long n;
        while ((n = read(fd, buffer)) > 0) {
            all.write(buffer, 0, (int) n);
        }
        return all.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** {@code pipe2(O_CLOEXEC)}: the read end, then the write end. */
    public static int[] pipe() {
        int[] fds = new int[2];
        Syscalls.call("make a pipe", () -> LibC.pipe2(fds, LibC.O_CLOEXEC));
        return fds;
    }

    /** {@code kill(pid, signal)}; a process already gone is not an error. */
    public static void kill(long pid, int signal) {
        try {
            LibC.kill((int) pid, signal);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != KernelException.ESRCH) {
                throw Syscalls.failure("signal process " + pid, e.getErrorCode(), e);
            }
        }
    }

    /**
     * {@code waitpid(pid)} for a child of this process: blocks until it ends and reaps it. Returns its exit
     * status as a shell reports it: the code it exited with, or 128 plus the signal that killed it.
     */
    public static int waitpid(long pid) {
        IntByReference status = new IntByReference();
        Syscalls.retryingInterrupts("wait for process " + pid, () -> LibC.waitpid((int) pid, status, 0));
        int raw = status.getValue();
        int signal = raw & 0x7f;
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal;
    }
}
