package dev.ctrnet.core.kernel;

import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A platform thread kept to run the work handed to it, one piece after another, in the namespaces the process
 * started in (the work must not change its thread's): started on first use and kept, because starting a thread for
 * each piece delayed it by 0.4 to 4 ms on a busy two-core machine, more than some of the work takes. It waits in
 * Java, so it never holds up the JVM's exit.
 */
public final class WorkerThread {
    private final String name;
    private final LinkedBlockingQueue<FutureTask<?>> queued = new LinkedBlockingQueue<>();
    /** Whether a thread serves the queue; guarded by {@code this}. */
    private boolean serving;

    /** A worker whose thread, once started, is named {@code name}. */
    public WorkerThread(String name) {
        this.name = name;
    }

    /** Queues {@code work}: it runs after what was queued before, and its {@link KernelThread#join} waits for it. */
    public synchronized <T> KernelThread<T> submit(Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        queued.add(task);
        if (!serving) {
            serving = true;
            KernelThread.start(name, () -> {
                serve();
                return null;
            });
        }
        return KernelThread.of(task);
    }

    /** Runs the queued work (a failure stays in its task, for the join) until the thread is interrupted. */
    private void serve() {
        try {
            while (true) {
                queued.take().run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            endServing();
        }
    }

    /** The work still queued when the thread ended gets a thread of its own, which the next submission then keeps. */
    private synchronized void endServing() {
        serving = false;
        if (!queued.isEmpty()) {
            serving = true;
            KernelThread.start(name, () -> {
                serve();
                return null;
            });
        }
    }
}
