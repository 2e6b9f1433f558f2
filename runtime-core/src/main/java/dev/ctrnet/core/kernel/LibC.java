package dev.ctrnet.core.kernel;

import com.sun.jna.Function;
import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import com.sun.jna.ptr.IntByReference;

/**
 * The few C library calls the kernel primitives need, through JNA's direct mapping: each is a native method
 * bound once, which costs a fraction of an interface-mapped call (no proxy, no reflection, no per-call type
 * checks); a create makes dozens of them. Every call that can fail throws {@link LastErrorException} carrying
 * errno. Functions only newer C libraries have are not bound here, since one missing symbol would fail the
 * whole class: {@link #optional} finds them when called.
 */
final class LibC {
    private static final NativeLibrary C = NativeLibrary.getInstance("c");

    static {
        Native.register(LibC.class, C);
    }

    static final int AF_NETLINK = 16;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_RCVBUF = 8;
    static final int SOL_NETLINK = 270;
    static final int NETLINK_CAP_ACK = 10;
    static final int NETLINK_EXT_ACK = 11;
    static final int NETLINK_GET_STRICT_CHK = 12;
    static final int MSG_TRUNC = 0x20;
    static final int MSG_PEEK = 0x2;

    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 0x80000;

    static final int O_WRONLY = 1;
    static final int O_CREAT = 0x40;
    static final int O_TRUNC = 0x200;
    static final int O_APPEND = 0x400;
    static final int O_NONBLOCK = 0x800;
    static final int O_NOCTTY = 0x100;
    static final int O_DIRECTORY = 0x10000;

    static final int CLONE_FS = 0x200;
    static final int CLONE_NEWNS = 0x20000;
    static final int CLONE_NEWIPC = 0x08000000;
    static final int CLONE_NEWPID = 0x20000000;
    static final int CLONE_NEWNET = 0x40000000;
    static final int CLONE_NEWUTS = 0x04000000;

    static final long MS_RDONLY = 1;
    static final long MS_NOSUID = 2;
    static final long MS_NODEV = 4;
    static final long MS_NOEXEC = 8;
    static final long MS_REMOUNT = 32;
    static final long MS_NOSYMFOLLOW = 256;
    static final long MS_BIND = 4096;
    static final long MS_REC = 16384;
    static final long MS_PRIVATE = 1 << 18;
    static final long MS_SHARED = 1 << 20;
    static final int MNT_DETACH = 2;

    /** {@code _IO(0xb7, 0x3)}: which kind of namespace a nsfs file refers to. */
    static final long NS_GET_NSTYPE = 0xb703;
    /** A link's name from its index, in the namespace of the socket asked ({@code struct ifreq}). */
    static final long SIOCGIFNAME = 0x8910;
    /** A link's index from its name, in the namespace of the socket asked ({@code struct ifreq}). */
    static final long SIOCGIFINDEX = 0x8933;
    /** {@code struct ifreq}: the name ({@code IFNAMSIZ} bytes), then a union that holds the index. */
    static final int IFREQ_SIZE = 40;
    static final int IFNAMSIZ = 16;

    static final int PR_CAPBSET_DROP = 24;
    static final int PR_SET_NO_NEW_PRIVS = 38;
    /** {@code _LINUX_CAPABILITY_VERSION_3}: 64-bit capability sets, as two 32-bit halves. */
    static final int CAPABILITY_VERSION_3 = 0x20080522;

    static final int S_IFIFO = 0x1000;
    static final int S_IFCHR = 0x2000;

    static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    static final short POSIX_SPAWN_SETSID = 0x80;
    static final short POSIX_SPAWN_SETPGROUP = 0x02;

    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EINVAL = 22;
    static final int ENOENT = 2;

    private LibC() {
    }

    /** The C library's function {@code name}, which older versions lack: UnsatisfiedLinkError then. */
    static Function optional(String name) {
        return C.getFunction(name);
    }

    static native int socket(int domain, int type, int protocol) throws LastErrorException;

    static native int bind(int fd, byte[] address, int length) throws LastErrorException;

    static native int setsockopt(int fd, int level, int name, int[] value, int length) throws LastErrorException;

    static native long send(int fd, byte[] buffer, long length, int flags) throws LastErrorException;

    static native long recv(int fd, Memory buffer, long length, int flags) throws LastErrorException;

    static native int open(String path, int flags) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native int fcntl(int fd, int cmd, int arg) throws LastErrorException;

    static native int ioctl(int fd, long request) throws LastErrorException;

    static native int ioctl(int fd, long request, byte[] argument) throws LastErrorException;

    static native int setns(int fd, int nstype) throws LastErrorException;

    static native int unshare(int flags) throws LastErrorException;

    static native int mount(String source, String target, String type, long flags, String data) throws LastErrorException;

    static native int umount2(String target, int flags) throws LastErrorException;

    static native int sethostname(byte[] name, long length) throws LastErrorException;

    static native int getpid();

    static native long read(int fd, byte[] buffer, long length) throws LastErrorException;

    static native long write(int fd, byte[] buffer, long length) throws LastErrorException;

    static native int openat(int dirfd, String path, int flags) throws LastErrorException;

    static native long readlinkat(int dirfd, String path, byte[] buffer, long size) throws LastErrorException;

    static native int pipe2(int[] fds, int flags) throws LastErrorException;

    static native int chdir(String path) throws LastErrorException;

    static native int umask(int mask);

    static native int mknod(String path, int mode, long dev) throws LastErrorException;

    static native int mkfifo(String path, int mode) throws LastErrorException;

    /** {@code struct statvfs} is written into {@code buffer}; its {@code f_flag} is at byte 72 on LP64. */
    static native int statvfs(String path, Pointer buffer) throws LastErrorException;

    static native int prctl(int option, long arg2, long arg3, long arg4, long arg5) throws LastErrorException;

    /** {@code header}: version, pid; {@code data}: two of effective, permitted, inheritable (32 bits each). */
    static native int capget(int[] header, int[] data) throws LastErrorException;

    static native int capset(int[] header, int[] data) throws LastErrorException;

    static native int kill(int pid, int signal) throws LastErrorException;

    /** {@code syscall(number, a, b, c)}, for the calls the C library has no function for (pidfd_*). */
    static native long syscall(long number, long a, long b, long c) throws LastErrorException;

    /** The same number on every architecture that has it (the calls were added after the tables were unified). */
    static final long SYS_PIDFD_OPEN = 434;
    static final long SYS_PIDFD_GETFD = 438;

    static native int waitpid(int pid, IntByReference status, int options) throws LastErrorException;

    static native long syscall(long number, String first, String second) throws LastErrorException;

    // posix_spawn and its helpers return an error number rather than setting errno

    static native int posix_spawn(IntByReference pid, String path, Pointer fileActions, Pointer attributes,
            StringArray argv, StringArray envp);

    static native int posix_spawn_file_actions_init(Pointer actions);

    static native int posix_spawn_file_actions_destroy(Pointer actions);

    static native int posix_spawn_file_actions_addopen(Pointer actions, int fd, String path, int flags, int mode);

    static native int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newFd);

    static native int posix_spawn_file_actions_addclose(Pointer actions, int fd);

    static native int posix_spawnattr_init(Pointer attributes);

    static native int posix_spawnattr_destroy(Pointer attributes);

    static native int posix_spawnattr_setflags(Pointer attributes, short flags);

    static native int posix_spawnattr_setsigmask(Pointer attributes, Pointer signals);

    static native int posix_spawnattr_setsigdefault(Pointer attributes, Pointer signals);

    static native int sigemptyset(Pointer set);

    static native int sigfillset(Pointer set);

    static native long syscall(long number) throws LastErrorException;

    static native String strerror(int errno);

    /** {@code pivot_root(2)}, which glibc does not wrap. */
    static void pivotRoot(String newRoot, String putOld) {
        long number = switch (Platform.ARCH) {
            case "x86-64" -> 155;
            case "aarch64" -> 41;
            default -> throw new UnsupportedOperationException("pivot_root is not mapped on " + Platform.ARCH);
        };
        syscall(number, newRoot, putOld);
    }

    /** The calling thread's kernel id: glibc's gettid() is too recent to rely on, the syscall is not. */
    static int gettid() {
        long number = switch (Platform.ARCH) {
            case "x86-64" -> 186;
            case "aarch64" -> 178;
            default -> throw new UnsupportedOperationException("gettid is not mapped on " + Platform.ARCH);
        };
        return (int) syscall(number);
    }
}
