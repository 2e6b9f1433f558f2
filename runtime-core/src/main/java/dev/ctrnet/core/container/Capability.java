package dev.ctrnet.core.container;

import java.util.Locale;

/** A Linux capability; its ordinal is its number in the kernel ({@code capability.h}). */
public enum Capability {
    CHOWN, DAC_OVERRIDE, DAC_READ_SEARCH, FOWNER, FSETID, KILL, SETGID, SETUID, SETPCAP, LINUX_IMMUTABLE,
    NET_BIND_SERVICE, NET_BROADCAST, NET_ADMIN, NET_RAW, IPC_LOCK, IPC_OWNER, SYS_MODULE, SYS_RAWIO, SYS_CHROOT,
    SYS_PTRACE, SYS_PACCT, SYS_ADMIN, SYS_BOOT, SYS_NICE, SYS_RESOURCE, SYS_TIME, SYS_TTY_CONFIG, MKNOD, LEASE,
    AUDIT_WRITE, AUDIT_CONTROL, SETFCAP, MAC_OVERRIDE, MAC_ADMIN, SYSLOG, WAKE_ALARM, BLOCK_SUSPEND, AUDIT_READ,
    PERFMON, BPF, CHECKPOINT_RESTORE;

    /**
     * The capability a user names as Docker accepts it: any case, with or without the {@code CAP_}
     * prefix ({@code net_raw}, {@code CAP_NET_RAW}).
     */
    public static Capability parse(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        String bare = upper.startsWith("CAP_") ? upper.substring(4) : upper;
        for (Capability c : values()) {
            if (c.name().equals(bare)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown capability '" + name.replace("\n", "\\n")
                + "': name one of Linux's, such as NET_ADMIN or CAP_SYS_TIME, or ALL");
    }

    /** Docker's spelling, as {@code inspect} shows it: {@code CAP_NET_RAW}. */
    public String dockerName() {
        return "CAP_" + name();
    }

    /** util-linux's and busybox's spelling: {@code net_raw}. */
    public String toolName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
