package dev.ctrnet.core.undo;

import dev.ctrnet.api.kernel.Kernel;
import dev.ctrnet.core.CtrnetException;
import dev.ctrnet.core.container.ProcessTable;
import dev.ctrnet.core.container.Sandboxes;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime folder's journals ({@code RUN/journal}): a new one for each operation, and those that a crash
 * left, which are found by one listing of the folder (empty but for operations under way) and their owner's
 * entry in {@code /proc}.
 */
public final class Journals {
    private static final Logger LOG = LoggerFactory.getLogger(Journals.class);
    /** This process, as journals name their owner: pid and start time. */
    private static final String OWNER = ProcessHandle.current().pid() + "."
            + ProcessTable.startTime(ProcessHandle.current().pid()).orElse(0);
    private static final AtomicLong COUNTER = new AtomicLong();

    private final Optional<Path> dir;
    private final Kernel kernel;
    private final Sandboxes sandboxes;

    private Journals(Optional<Path> dir, Kernel kernel, Sandboxes sandboxes) {
        this.dir = dir;
        this.kernel = kernel;
        this.sandboxes = sandboxes;
    }

    /** The journals in {@code dir}, whose changes are walked back through {@code kernel} and {@code sandboxes}. */
    public static Journals in(Path dir, Kernel kernel, Sandboxes sandboxes) {
        return new Journals(Optional.of(dir), kernel, sandboxes);
    }

    /** Journals that write nothing, for a dry run: it makes no change that a crash could leave. */
    public static Journals none(Kernel kernel, Sandboxes sandboxes) {
        return new Journals(Optional.empty(), kernel, sandboxes);
    }

    /**
     * The undo log of an operation that is walked back after a crash, journaled as {@code operation}; the journal
     * is started now, before the operation's first change, whether to the kernel or to its records.
     */
    public Rollback rollBack(Operation operation) {
        return new Rollback(begun(operation), kernel, sandboxes);
    }

    /** The journal of an operation that is finished after a crash, started now, before its first change. */
    public Journal finishing(Operation operation) {
        return begun(operation);
    }

    private Journal begun(Operation operation) {
        Journal journal = dir.map(d -> Journal.of(d.resolve(OWNER + "." + COUNTER.incrementAndGet()), operation))
                .orElseGet(Journal::none);
        journal.begin();
        return journal;
    }

    /** The journals whose owner is dead, oldest first: what crashes left. The caller holds the state lock. */
    public List<Path> orphaned() {
        if (dir.isEmpty()) {
            return List.of();
        }
        List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir.get())) {
            files.filter(Journals::ownerIsDead).forEach(found::add);
        } catch (NoSuchFileException | AccessDeniedException e) {
            // none yet; or not root, who alone can put right what a journal is about (and is told so by the lock)
            return List.of();
        } catch (IOException e) {
            throw new CtrnetException("cannot read " + dir.get() + ": " + e.getMessage(), e);
        }
        found.sort(null);
        return found;
    }

    /** What an orphaned journal holds. */
    public Journal.Written read(Path journal) {
        try {
            return Journal.read(journal);
        } catch (IOException | RuntimeException e) {
            // unreadable: nothing in it can be walked back, and keeping it would fail every command
            LOG.warn("cannot read the journal {}: {}", journal, e.getMessage());
            return new Journal.Written(Optional.empty(), List.of());
        }
    }

    /**
     * Walks {@code changes} back, newest first; one that cannot be walked back is logged and the rest still are.
     *
     * @return whether the rules were changed, and so must be rendered from the state again
     */
    public boolean walkBack(List<KernelChange> changes) {
        boolean firewall = false;
        for (int i = changes.size() - 1; i >= 0; i--) {
            KernelChange change = changes.get(i);
            firewall |= change instanceof KernelChange.FirewallUpdated;
            try {
                change.undo(kernel, sandboxes);
            } catch (RuntimeException e) {
                LOG.warn("could not undo: {}: {}", change.describe(), e.getMessage());
            }
        }
        return firewall;
    }

    /** Removes a journal once what it was about is walked back or finished. */
    public void remove(Path journal) {
        try {
            Files.deleteIfExists(journal);
        } catch (IOException e) {
            throw new CtrnetException("cannot remove the journal " + journal + ": " + e.getMessage(), e);
        }
    }

    /** Whether the owner a journal's name gives ({@code PID.START.N}) is dead; a name of another form is no journal. */
    private static boolean ownerIsDead(Path journal) {
        String[] parts = journal.getFileName().toString().split("\\.");
        if (parts.length != 3) {
            return false;
        }
        try {
            return !ProcessTable.isAlive(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
