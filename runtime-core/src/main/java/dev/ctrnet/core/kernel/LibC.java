package dev.ctrnet.core.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;

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
    int MSG_TRUNC = 0x20;
    int MSG_PEEK = 0x2;

    int O_RDONLY = 0;
    int O_CLOEXEC = 0x80000;

    int CLONE_NEWNET = 0x40000000;
    int CLONE_NEWUTS = 0x04000000;

    long MS_BIND = 4096;
    long MS_REC = 16384;
    long MS_SHARED = 1 << 20;
    int MNT_DETACH = 2;

    /** {@code _IO(0xb7, 0x3)}: which kind of namespace a nsfs file refers to. */
    long NS_GET_NSTYPE = 0xb703;

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

    int ioctl(int fd, long request) throws LastErrorException;

    int setns(int fd, int nstype) throws LastErrorException;

    int unshare(int flags) throws LastErrorException;

    int mount(String source, String target, String type, long flags, String data) throws LastErrorException;

    int umount2(String target, int flags) throws LastErrorException;

    int sethostname(byte[] name, long length) throws LastErrorException;

    int getpid();

    long syscall(long number) throws LastErrorException;

    String strerror(int errno);

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
