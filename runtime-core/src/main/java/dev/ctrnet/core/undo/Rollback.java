package dev.ctrnet.core.undo;

import dev.ctrnet.api.kernel.Kernel;
import dev.ctrnet.core.container.NativeSandboxes;
import dev.ctrnet.core.container.Sandboxes;
import dev.ctrnet.core.kernel.NativeNamespaces;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The changes one operation made so far, newest last, each also in the operation's {@link Journal}. A change
 * is recorded before it is sent to the kernel, so a failure at any step walks back everything before it
 * (undoing a change that did not happen is harmless: the object is simply not there), and so does a later
 * process after a crash at any step. Made by {@link Journals#rollBack}.
 *
 * <p>The operation ends with {@link #commit()} when it succeeds; when it fails, with {@link #undoAll}, then
 * whatever the caller puts back in the state (its records, its leases), then {@link #end()}: until then the
 * journal stays, so that a crash in between is walked back by the next command.
 */
public final class Rollback {
    private static final Logger LOG = LoggerFactory.getLogger(Rollback.class);

    private final Deque<KernelChange> changes = new ArrayDeque<>();
    private final Journal journal;
    private final Kernel kernel;
    private final Sandboxes sandboxes;
    private boolean firewallChanged;

    Rollback(Journal journal, Kernel kernel, Sandboxes sandboxes) {
        this.journal = journal;
        this.kernel = kernel;
        this.sandboxes = sandboxes;
    }

    /**
     * Runs {@code call} with a {@link RecordingKernel} over {@code kernel} and, when it throws, undoes what it changed
     * and throws again: one driver call as the runtime makes it, on its own (for the driver kit's
     * {@code DriverUnderTest}). Nothing is journaled: the kit's test is not a command a crash could interrupt.
     */
    public static void undoingOnFailure(Kernel kernel, Consumer<Kernel> call) {
        Rollback rollback = new Rollback(Journal.none(), kernel, new NativeSandboxes(new NativeNamespaces()));
        try {
            call.accept(new RecordingKernel(kernel, rollback));
        } catch (RuntimeException e) {
            rollback.undoAll(e);
            throw e;
        }
    }

    /** Records a change that is about to be made, in memory and in the journal. */
    public void record(KernelChange change) {
        LOG.debug("{}", change.describe());
        journal.append(change);
        changes.addLast(change);
        firewallChanged |= change instanceof KernelChange.FirewallUpdated;
    }

    /**
     * Forgets the newest change: the kernel refused it because the object already existed, so it is not
     * ours, and undoing it would delete someone else's.
     */
    public void forgetLast() {
        changes.removeLast();
        journal.withdrawLast();
    }

    /** The operation succeeded: its changes stay, and its journal goes. */
    public void commit() {
        changes.clear();
        journal.remove();
    }

    /**
     * Undoes every recorded change, newest first. Keeps going when one undo fails, so that as much as
     * possible is walked back; failures are logged and attached to {@code cause}. The journal stays until
     * {@link #end()}.
     */
    public void undoAll(Throwable cause) {
        while (!changes.isEmpty()) {
            KernelChange change = changes.removeLast();
            try {
                change.undo(kernel, sandboxes);
            } catch (RuntimeException e) {
                LOG.warn("could not undo: {}: {}", change.describe(), e.getMessage());
                cause.addSuppressed(e);
            }
        }
    }

    /**
     * Whether the rules were changed: walking the operation back then ends with rendering the rules from the
     * state again, once its records are put back (see {@link KernelChange.FirewallUpdated}).
     */
    public boolean firewallChanged() {
        return firewallChanged;
    }

    /** The operation is walked back, state included: its journal goes. */
    public void end() {
        journal.remove();
    }
}
