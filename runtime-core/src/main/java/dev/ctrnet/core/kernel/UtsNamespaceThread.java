package dev.ctrnet.core.kernel;

import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform thread that makes this process's UTS namespaces: started on first use and kept, because making
 * one (unshare, sethostname, a bind mount) costs the kernel a few microseconds, and starting a thread for each
 * cost the caller more than that. Each piece of work leaves the thread in a new UTS namespace, and the thread
 * goes back to its own ({@code setns}) before the next; should it ever fail to, it ends, and the work still
 * queued goes to a new one.
 */
final class UtsNamespaceThread {
    private static final Logger LOG = LoggerFactory.getLogger(UtsNamespaceThread.class);
    private static final UtsNamespaceThread OF_THIS_PROCESS = new UtsNamespaceThread();

    private final LinkedBlockingQueue<FutureTask<?>> queued = new LinkedBlockingQueue<>();
    /** Whether a thread serves the queue; guarded by {@code this}. */
    private boolean serving;

    private UtsNamespaceThread() {
    }

    /** The one of this process. */
    static UtsNamespaceThread ofThisProcess() {
        return OF_THIS_PROCESS;
    }

    /**
     * Queues {@code work}, which may {@code unshare(CLONE_NEWUTS)}: it runs after what was queued before, and
     * its {@link KernelThread#join} waits for it.
     */
    synchronized <T> KernelThread<T> submit(Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        queued.add(task);
        if (!serving) {
            serving = true;
            KernelThread.start("ctrnet-uts", () -> {
                serve();
                return null;
            });
        }
        return KernelThread.of(task);
    }

    /** Runs the queued work until the thread cannot go back home; it waits in Java, so it never holds up an exit. */
    private void serve() {
        try (NamespaceFile home = NativeNamespaces.openThreadNamespace(LibC.CLONE_NEWUTS)) {
            while (true) {
                FutureTask<?> task = queued.take();
                try {
                    task.run();
                } finally {
                    home.enter();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debug("the UTS namespace thread ends: {}", e.getMessage());
        } finally {
            endServing();
        }
    }

    /**
     * Once the thread has ended, the work still queued runs on threads of its own, each ending with its work, and
     * the next submission starts a new kept thread.
     */
    private synchronized void endServing() {
        serving = false;
        for (FutureTask<?> task = queued.poll(); task != null; task = queued.poll()) {
            FutureTask<?> orphan = task;
            KernelThread.start("ctrnet-uts", () -> {
                orphan.run();
                return null;
            });
        }
    }
}
