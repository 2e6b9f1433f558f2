package dev.ctrnet.core;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where a test can make ctrnet die as {@code kill -9} would: no shutdown hook, no {@code finally}, no
 * journal removed. This is how the promise "a crash at any step, then {@code system prune} (or any later
 * command) leaves nothing behind" is tested rather than argued. Two switches, read from the environment
 * once per process; unset, a point costs a comparison:
 *
 * <ul>
 *   <li>{@code CTRNET_CRASH_AT=NAME}: at a named point between the steps of an operation ({@code run-uts},
 *       {@code rm-leases}, ...; see the callers of {@link #reached}). Besides those, {@code write-FILE} dies while
 *       a record named FILE is half written (its temporary file made, not yet renamed).
 *   <li>{@code CTRNET_CRASH_AFTER_CHANGE=N} (N ≥ 1): right after the Nth change this process makes, counted
 *       from its start. A change is what an operation's journal covers ({@link dev.ctrnet.core.undo.Journal}):
 *       each netlink request that changes a link, address or route (in any namespace, those the operation made
 *       included), each network or UTS namespace made or removed, each sysctl written, each call that changes
 *       the rules through a NAT backend, and each start, stop or record change of a process ctrnet runs beside
 *       the kernel (a network's name server, a {@code [::1]} proxy). Reads and state files are not changes.
 *       To cover every point of a command, run it with N = 1, 2, ... until it exits other than 137: the last N
 *       that crashed is its number of changes. Changes made by the recovery of an earlier crash at the
 *       command's start are counted too, so run it on a recovered root (after {@code system prune}).
 * </ul>
 *
 * <p>A command run with either variable set runs in its own process, never through the service (which
 * would die in its place).
 */
public final class CrashPoint {
    private static final String AT = System.getenv().getOrDefault("CTRNET_CRASH_AT", "");
    private static final int AFTER_CHANGE = afterChange();
    private static final AtomicInteger CHANGES = new AtomicInteger();

    private CrashPoint() {}

    /** Dies here if a test asked for it. */
    public static void reached(String name) {
        if (name.equals(AT)) {
            die();
        }
    }

    /** A change was just made: dies here if it is the one a test asked for. */
    public static void changed() {
        if (AFTER_CHANGE > 0 && CHANGES.incrementAndGet() == AFTER_CHANGE) {
            die();
        }
    }

    private static void die() {
        java.lang.Runtime.getRuntime().halt(137);
    }

    private static int afterChange() {
        String value = System.getenv().getOrDefault("CTRNET_CRASH_AFTER_CHANGE", "");
        try {
            return value.isEmpty() ? 0 : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("CTRNET_CRASH_AFTER_CHANGE must be a number, not " + value, e);
        }
    }
}
