package dev.ctrnet.core.undo;

import dev.ctrnet.api.kernel.Kernel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The changes one operation made so far, newest last. A change is recorded before it is sent to the
 * kernel, so a failure at any step walks back everything before it (undoing a change that did not
 * happen is harmless: the object is simply not there).
 */
public final class Rollback {
    private static final Logger LOG = LoggerFactory.getLogger(Rollback.class);

    private final Deque<KernelChange> changes = new ArrayDeque<>();

    /**
     * Runs {@code call} with a {@link RecordingKernel} over {@code kernel} and, when it throws, undoes what it changed
     * and throws again: one driver call as the runtime makes it, on its own (for the driver kit's
     * {@code DriverUnderTest}).
     */
    public static void undoingOnFailure(Kernel kernel, Consumer<Kernel> call) {
        Rollback rollback = new Rollback();
        try {
            call.accept(new RecordingKernel(kernel, rollback));
        } catch (RuntimeException e) {
            rollback.undoAll(kernel, e);
            throw e;
        }
    }

    /** Records a change that is about to be made. */
    public void record(KernelChange change) {
        LOG.debug("{}", change.describe());
        changes.addLast(change);
    }

    /**
     * Forgets the newest change: the kernel refused it because the object already existed, so it is not
     * ours, and undoing it would delete someone else's.
     */
    public void forgetLast() {
        changes.removeLast();
    }

    /** Forgets the changes: the operation succeeded and they stay. */
    public void commit() {
        changes.clear();
    }

    /**
     * Undoes every recorded change, newest first. Keeps going when one undo fails, so that as much as
     * possible is walked back; failures are logged and attached to {@code cause}.
     */
    public void undoAll(Kernel kernel, Throwable cause) {
        while (!changes.isEmpty()) {
            KernelChange change = changes.removeLast();
            try {
                change.undo(kernel);
            } catch (RuntimeException e) {
                LOG.warn("could not undo: {}: {}", change.describe(), e.getMessage());
                cause.addSuppressed(e);
            }
        }
    }
}
