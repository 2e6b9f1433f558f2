package dev.ctrnet.core.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import com.sun.jna.ptr.IntByReference;

/**
 * The few C library calls the kernel primitives need, through JNA. Every call that can fail throws
 * {@link LastErrorException} carrying errno.
 */
interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int AF_NETLINK = 16;
    int SOCK_RAW = 3;
    int SOCK_CLOEXEC = 0x80000;
    int SOL_SOCKET = 1;
    int SO_RCVBUF = 8;
    int SOL_NETLINK = 270;
    int NETLINK_CAP_ACK = 10;
    int NETLINK_EXT_ACK = 11;
    int NETLINK_GET_STRICT_CHK = 12;
    int MSG_TRUNC = 0x20;
    int MSG_PEEK = 0x2;

    int O_RDONLY = 0;
    int O_CLOEXEC = 0x80000;

    int O_WRONLY = 1;
    int O_CREAT = 0x40;
    int O_TRUNC = 0x200;
    int O_APPEND = 0x400;
    int O_NONBLOCK = 0x800;
    int O_NOCTTY = 0x100;
    int O_DIRECTORY = 0x10000;

    int CLONE_FS = 0x200;
    int CLONE_NEWNS = 0x20000;
    int CLONE_NEWIPC = 0x08000000;
    int CLONE_NEWPID = 0x20000000;
    int CLONE_NEWNET = 0x40000000;
    int CLONE_NEWUTS = 0x04000000;

    long MS_RDONLY = 1;
    long MS_NOSUID = 2;
    long MS_NODEV = 4;
    long MS_NOEXEC = 8;
    long MS_REMOUNT = 32;
    long MS_NOSYMFOLLOW = 256;
    long MS_BIND = 4096;
    long MS_REC = 16384;
    long MS_PRIVATE = 1 << 18;
    long MS_SHARED = 1 << 20;
    int MNT_DETACH = 2;

    /** {@code _IO(0xb7, 0x3)}: which kind of namespace a nsfs file refers to. */
    long NS_GET_NSTYPE = 0xb703;

    int PR_CAPBSET_DROP = 24;
    int PR_SET_NO_NEW_PRIVS = 38;
    /** {@code _LINUX_CAPABILITY_VERSION_3}: 64-bit capability sets, as two 32-bit halves. */
    int CAPABILITY_VERSION_3 = 0x20080522;

    int S_IFIFO = 0x1000;
    int S_IFCHR = 0x2000;

    short POSIX_SPAWN_SETSIGDEF = 0x04;
    short POSIX_SPAWN_SETSIGMASK = 0x08;
    short POSIX_SPAWN_SETSID = 0x80;
    short POSIX_SPAWN_SETPGROUP = 0x02;

    int EINTR = 4;
    int EINVAL = 22;
    int ENOENT = 2;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int bind(int fd, byte[] address, int length) throws LastErrorException;

    int setsockopt(int fd, int level, int name, int[] value, int length) throws LastErrorException;

    long send(int fd, byte[] buffer, long length, int flags) throws LastErrorException;

    long recv(int fd, Memory buffer, long length, int flags) throws LastErrorException;

    int open(String path, int flags) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int fcntl(int fd, int cmd, int arg) throws LastErrorException;

    int ioctl(int fd, long request) throws LastErrorException;

    int setns(int fd, int nstype) throws LastErrorException;

    int unshare(int flags) throws LastErrorException;

    int mount(String source, String target, String type, long flags, String data) throws LastErrorException;

    int umount2(String target, int flags) throws LastErrorException;

    int sethostname(byte[] name, long length) throws LastErrorException;

    int getpid();

    long read(int fd, byte[] buffer, long length) throws LastErrorException;

    int openat(int dirfd, String path, int flags) throws LastErrorException;

    long readlinkat(int dirfd, String path, byte[] buffer, long size) throws LastErrorException;

    int pipe2(int[] fds, int flags) throws LastErrorException;

    int chdir(String path) throws LastErrorException;

    int umask(int mask);

    int mknod(String path, int mode, long dev) throws LastErrorException;

    int mkfifo(String path, int mode) throws LastErrorException;

    /** {@code struct statvfs} is written into {@code buffer}; its {@code f_flag} is at byte 72 on LP64. */
    int statvfs(String path, Pointer buffer) throws LastErrorException;

    int prctl(int option, long arg2, long arg3, long arg4, long arg5) throws LastErrorException;

    /** {@code header}: version, pid; {@code data}: two of effective, permitted, inheritable (32 bits each). */
    int capget(int[] header, int[] data) throws LastErrorException;

    int capset(int[] header, int[] data) throws LastErrorException;

    int kill(int pid, int signal) throws LastErrorException;

    int waitpid(int pid, IntByReference status, int options) throws LastErrorException;

    long syscall(long number, String first, String second) throws LastErrorException;

    // posix_spawn and its helpers return an error number rather than setting errno

    int posix_spawn(IntByReference pid, String path, Pointer fileActions, Pointer attributes, StringArray argv,
            StringArray envp);

    int posix_spawn_file_actions_init(Pointer actions);

    int posix_spawn_file_actions_destroy(Pointer actions);

    int posix_spawn_file_actions_addopen(Pointer actions, int fd, String path, int flags, int mode);

    int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newFd);

    int posix_spawn_file_actions_addclose(Pointer actions, int fd);

    /** glibc 2.34 and later. */
    int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);

    /** glibc 2.29 and later. */
    int posix_spawn_file_actions_addchdir_np(Pointer actions, String path);

    int posix_spawnattr_init(Pointer attributes);

    int posix_spawnattr_destroy(Pointer attributes);

    int posix_spawnattr_setflags(Pointer attributes, short flags);

    int posix_spawnattr_setsigmask(Pointer attributes, Pointer signals);

    int posix_spawnattr_setsigdefault(Pointer attributes, Pointer signals);

    int sigemptyset(Pointer set);

    int sigfillset(Pointer set);

    long syscall(long number) throws LastErrorException;

    String strerror(int errno);

    /** {@code pivot_root(2)}, which glibc does not wrap. */
    static void pivotRoot(String newRoot, String putOld) {
        long number = switch (Platform.ARCH) {
            case "x86-64" -> 155;
            case "aarch64" -> 41;
            default -> throw new UnsupportedOperationException("pivot_root is not mapped on " + Platform.ARCH);
        };
        INSTANCE.syscall(number, newRoot, putOld);
    }

    /** The calling thread's kernel id: glibc's gettid() is too recent to rely on, the syscall is not. */
    static int gettid() {
        long number = switch (Platform.ARCH) {
            case "x86-64" -> 186;
            case "aarch64" -> 178;
            default -> throw new UnsupportedOperationException("gettid is not mapped on " + Platform.ARCH);
        };
        return (int) INSTANCE.syscall(number);
    }
}
