package dev.ctrnet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Test-side file operations on a state root (to play a crash that lost a record). */
final class StateFiles {
    private StateFiles() {}

    /** The entries of a state folder; none when it does not exist (yet). */
    static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    /**
     * Plays a crash that lost container {@code name}'s record, once its process was killed: the record
     * goes after the container's monitor has written the exit code, not while it may still write there.
     */
    static void loseRecord(Path root, String name) throws IOException {
        Path record = root.resolve("containers").resolve(name);
        if (!Eventually.holds(() -> Files.exists(record.resolve("exitcode")))) {
            throw new AssertionError("the monitor of " + name + " never wrote its exit code");
        }
        deleteTree(record);
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
