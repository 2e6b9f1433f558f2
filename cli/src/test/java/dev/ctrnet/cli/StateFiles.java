package dev.ctrnet.cli;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
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
     * {@code root} and everything under it, links not followed; what goes while it is listed (a service line's
     * pipe, made anew after each command) is left out. None when {@code root} does not exist.
     */
    static List<Path> walk(Path root) throws IOException {
        List<Path> found = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                found.add(dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                found.add(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException failure) throws IOException {
                if (failure instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw failure;
            }
        });
        return found;
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
