package dev.ctrnet.core;

/**
 * Named points between the steps of an operation where a test can make ctrnet die as {@code kill -9}
 * would ({@code CTRNET_CRASH_AT=NAME}): no shutdown hook, no {@code finally}. This is how the promise
 * "a crash at any step, then {@code system prune} (or the same command again) leaves nothing behind"
 * is tested rather than argued. Unset, a point costs a string comparison. Besides the points of the
 * operations, {@code write-FILE} dies while a record named FILE is half written (its temporary file made,
 * not yet renamed).
 */
public final class CrashPoint {
    private static final String AT = System.getenv().getOrDefault("CTRNET_CRASH_AT", "");

    private CrashPoint() {}

    /** Dies here if a test asked for it. */
    public static void reached(String name) {
        if (name.equals(AT)) {
            java.lang.Runtime.getRuntime().halt(137);
        }
    }
}
