package dev.ctrnet.core.kernel;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Work that changes its thread's namespaces, file-system view or capabilities, on a platform thread of
 * its own (never a virtual one, which would carry the changes to other work), which ends with it.
 *
 * @param <T> what the work returns
 */
public final class KernelThread<T> {
    private final FutureTask<T> task;

    private KernelThread(FutureTask<T> task) {
        this.task = task;
    }

    /** Starts {@code work} on a new daemon platform thread named {@code name}. */
    public static <T> KernelThread<T> start(String name, Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return new KernelThread<>(task);
    }

    /**
     * Work already done on the caller's thread, for a caller that changes nothing in the kernel (a dry run,
     * which only writes it down) where others start a thread.
     */
    public static <T> KernelThread<T> finished(T result) {
        FutureTask<T> task = new FutureTask<>(() -> result);
        task.run();
        return new KernelThread<>(task);
    }

    /** Work handed to a thread that is already running ({@link UtsNamespaceThread}). */
    static <T> KernelThread<T> of(FutureTask<T> task) {
        return new KernelThread<>(task);
    }

    /** Whether the work has ended. */
    public boolean isDone() {
        return task.isDone();
    }

    /**
     * Waits for the work, even when interrupted (it changes the kernel: it must be known to have ended),
     * and returns its result; its own exception comes out unchanged, checked or not.
     */
    public T join() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw KernelThread.<RuntimeException>unchecked(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E unchecked(Throwable t) throws E {
        throw (E) t;
    }
}
