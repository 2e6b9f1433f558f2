package dev.ctrnet.core.container;

import dev.ctrnet.core.kernel.KernelCalls;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A container's first process, started by {@code posix_spawn} as a child of this JVM (the JDK knows
 * nothing of it): a daemon thread of its own waits for it with {@code waitpid} and reaps it, so its exit
 * status is the command's, as a shell reports it (128 plus the signal for one that was killed).
 */
final class ContainerProcess extends Process {
    private final long pid;
    private final OutputStream stdin;
    private final InputStream stdout;
    private final InputStream stderr;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();

    ContainerProcess(long pid, OutputStream stdin, InputStream stdout, InputStream stderr) {
        this.pid = pid;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        Thread waiter = new Thread(() -> {
            try {
                exit.complete(KernelCalls.waitpid(pid));
            } catch (RuntimeException e) {
                exit.completeExceptionally(e);
            }
        }, "ctrnet-wait-" + pid);
        waiter.setDaemon(true);
        waiter.start();
    }

    @Override
    public OutputStream getOutputStream() {
        return stdin;
    }

    @Override
    public InputStream getInputStream() {
        return stdout;
    }

    @Override
    public InputStream getErrorStream() {
        return stderr;
    }

    @Override
    public int waitFor() throws InterruptedException {
        try {
            return exit.get();
        } catch (ExecutionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            exit.get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    @Override
    public int exitValue() {
        if (!exit.isDone()) {
            throw new IllegalThreadStateException("process " + pid + " has not exited");
        }
        return exit.join();
    }

    @Override
    public void destroy() {
        signal(15);
    }

    @Override
    public Process destroyForcibly() {
        signal(KernelCalls.SIGKILL);
        return this;
    }

    @Override
    public boolean supportsNormalTermination() {
        return true;
    }

    @Override
    public boolean isAlive() {
        return !exit.isDone();
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public CompletableFuture<Process> onExit() {
        return exit.thenApply(status -> this);
    }

    @Override
    public ProcessHandle toHandle() {
        return ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("process " + pid + " has been reaped"));
    }

    /** Only while it has not been reaped: after that, its PID may name another process. */
    private void signal(int signal) {
        if (!exit.isDone()) {
            KernelCalls.kill(pid, signal);
        }
    }
}
