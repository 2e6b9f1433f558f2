package dev.ctrnet.core.doctor;

import java.util.Objects;
import java.util.Optional;

/**
 * One step of a path that {@code ctrnet doctor} checked.
 *
 * @param name what was checked, e.g. {@code interface eth0}, {@code ip_forward}
 * @param status what it found
 * @param detail what it saw, in a sentence
 * @param fix the command that repairs a broken hop
 */
public record Hop(String name, Status status, String detail, Optional<String> fix) {
    public Hop {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(fix, "fix");
    }

    /** What a check found. */
    public enum Status {
        /** The hop passes what this path needs. */
        OK,
        /** The hop stops the path. */
        BROKEN,
        /** Worth knowing, but not in the way (or not checkable here). */
        NOTE
    }

    /** A hop that passes. */
    public static Hop ok(String name, String detail) {
        return new Hop(name, Status.OK, detail, Optional.empty());
    }

    /** A hop worth knowing about that is not in the way. */
    public static Hop note(String name, String detail) {
        return new Hop(name, Status.NOTE, detail, Optional.empty());
    }

    /** A hop that stops the path, and the command that repairs it. */
    public static Hop broken(String name, String detail, String fix) {
        return new Hop(name, Status.BROKEN, detail, Optional.of(fix));
    }

    /** Whether the hop stops the path. */
    public boolean isBroken() {
        return status == Status.BROKEN;
    }
}
