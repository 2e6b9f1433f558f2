package dev.ctrnet.core.plugin;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The C library calls with which plugin files are opened one path component at a time, through JNA.
 * Every call that can fail throws {@link LastErrorException} carrying errno.
 */
interface PosixFiles extends Library {
    PosixFiles INSTANCE = Native.load("c", PosixFiles.class);

    int AT_FDCWD = -100;
    int O_RDONLY = 0;
    int O_NOCTTY = 0x100;
    int O_NONBLOCK = 0x800;
    int O_CLOEXEC = 0x80000;
    int O_PATH = 0x200000;

    int EINTR = 4;
    int ELOOP = 40;

    int openat(int dirfd, String path, int flags) throws LastErrorException;

    long readlinkat(int dirfd, String path, byte[] buffer, long size) throws LastErrorException;

    long read(int fd, byte[] buffer, long count) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    String strerror(int errno);

    /** {@code O_NOFOLLOW}, which unlike the flags above differs between architectures. */
    static int noFollow() {
        return switch (Platform.ARCH) {
            case "x86-64" -> 0x20000;
            case "aarch64" -> 0x8000;
            default -> throw new UnsupportedOperationException("O_NOFOLLOW is not mapped on " + Platform.ARCH);
        };
    }
}
