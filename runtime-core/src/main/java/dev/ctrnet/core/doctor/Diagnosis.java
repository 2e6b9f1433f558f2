package dev.ctrnet.core.doctor;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One path that {@code ctrnet doctor} walked, hop by hop in the order a packet takes them.
 *
 * @param path the path, e.g. {@code web -> 198.51.100.2 (outside, through network bridge)}
 * @param hops what each hop showed
 */
public record Diagnosis(String path, List<Hop> hops) {
    public Diagnosis {
        Objects.requireNonNull(path, "path");
        hops = List.copyOf(hops);
    }

    /** The first hop that stops the path: what to fix first. */
    public Optional<Hop> firstBroken() {
        return hops.stream().filter(Hop::isBroken).findFirst();
    }

    /** Whether nothing on the path is broken. */
    public boolean healthy() {
        return firstBroken().isEmpty();
    }
}
