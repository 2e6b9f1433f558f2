package dev.ctrnet.core.undo;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.ctrnet.core.CtrnetException;
import dev.ctrnet.core.state.FileModes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The crash journal of one operation: {@code RUN/journal/PID.START.N}, named by the process that owns it (its
 * pid and start time, so a reused pid is another owner) and a counter. Its first line names the operation and
 * what it works on ({@link Operation}); an operation that is walked back after a crash then gets one line per
 * change, each the change's undo as data ({@link JournalCodec}), appended before the change is made; one that is
 * finished after a crash needs the first line only. The first line is written before the operation changes
 * anything, its records included; the journal is removed when the operation is over. A
 * journal whose owner is dead is what a crash left: the next command, or {@code system prune}, walks its
 * changes back (or finishes the operation) and removes it.
 *
 * <p>Each line is one {@code write} to a file opened for appending, and nothing is synced: a process that is
 * killed (even with {@code -9}) leaves its writes in the page cache, where the next process reads them; a
 * machine that crashes loses the journal, but with it every kernel object the journal was about (and the
 * runtime folder is a tmpfs that a reboot empties anyway). Costs, on the warm path: a file made and removed,
 * and a write of about 100 bytes per change.
 */
public final class Journal {
    /** A line that takes back the line before it: the kernel refused that change as already made by another. */
    private static final String WITHDRAWN = "{\"withdrawn\":true}\n";
    private static final Journal NONE = new Journal(null, Map.of());

    private final Path file;
    private final Map<String, Object> header;
    private FileChannel out;
    /** Set once the operation is over: nothing more is written. */
    private boolean removed;

    private Journal(Path file, Map<String, Object> header) {
        this.file = file;
        this.header = header;
    }

    /** The journal of {@code operation}, to be {@code file}; nothing is written before {@link #append} or {@link #begin}. */
    static Journal of(Path file, Operation operation) {
        return new Journal(file, operation.header());
    }

    /** A journal that writes nothing: a dry run's, whose changes are not made. */
    public static Journal none() {
        return NONE;
    }

    /** Writes the first line, before the operation's first change. */
    void begin() {
        if (file != null && out == null && !removed) {
            write(line(header));
        }
    }

    /** Appends {@code change}'s undo, before the change is made. */
    void append(KernelChange change) {
        if (file != null && !removed) {
            write(line(JournalCodec.encode(change)));
        }
    }

    /** Takes back the last change appended: it was not made. */
    void withdrawLast() {
        if (out != null && !removed) {
            write(WITHDRAWN);
        }
    }

    /** The operation is over (committed, or walked back): the journal goes. */
    public void remove() {
        removed = true;
        if (out == null) {
            return;
        }
        try {
            out.close();
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new CtrnetException("cannot remove the journal " + file + ": " + e.getMessage(), e);
        } finally {
            out = null;
        }
    }

    private void write(String text) {
        try {
            if (out == null) {
                out = open(file);
            }
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            throw new CtrnetException("cannot write the journal " + file + ": " + e.getMessage(), e);
        }
    }

    private static FileChannel open(Path file) throws IOException {
        Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        try {
            return FileChannel.open(file, options, FileModes.privateFile());
        } catch (NoSuchFileException e) {
            FileModes.createFolders(file.getParent());
            return FileChannel.open(file, options, FileModes.privateFile());
        }
    }

    private static String line(Map<String, Object> value) {
        try {
            return JSON.std.asString(value) + "\n";
        } catch (IOException e) {
            throw new IllegalArgumentException("a journal line cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    /**
     * What a journal file holds: its operation and the changes made so far, oldest first (a change the kernel
     * refused is not among them); {@code empty} when the file is empty, as a crash right after making it
     * leaves it, and the changes end at the last complete line.
     */
    static Written read(Path file) throws IOException {
        List<String> lines = List.of(Files.readString(file, StandardCharsets.UTF_8).split("\n", -1));
        // the last element is what follows the last newline: empty, or a line the crash cut short
        List<String> complete = lines.subList(0, lines.size() - 1);
        if (complete.isEmpty()) {
            return new Written(Optional.empty(), List.of());
        }
        Operation operation = Operation.fromHeader(parse(complete.get(0)));
        List<KernelChange> changes = new ArrayList<>();
        for (String line : complete.subList(1, complete.size())) {
            Map<String, Object> m = parse(line);
            if (m.containsKey("withdrawn")) {
                changes.remove(changes.size() - 1);
            } else {
                changes.add(JournalCodec.decode(m));
            }
        }
        return new Written(Optional.of(operation), changes);
    }

    /** A journal as read back: its operation, empty for an empty file, and its changes, oldest first. */
    public record Written(Optional<Operation> operation, List<KernelChange> changes) {}

    private static Map<String, Object> parse(String line) throws IOException {
        return new LinkedHashMap<>(JSON.std.mapFrom(line));
    }
}
