package dev.ctrnet.cli;

import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.core.kernel.KernelCalls;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.BooleanSupplier;

/**
 * The standard output or error of a client that is {@code bin/ctrnet}'s shell, written by the service itself: the
 * shell relays nothing, it waits for the exit status. A pipe or a terminal is opened anew through
 * {@code /proc/PID/fd/N}, which leads to the same pipe or terminal, and non-blocking, so that a reader that stops
 * reading holds the command only while the client lives: once the client has gone, output that would wait is dropped
 * (what a reader still takes goes on to it); the client's own descriptor stays as it was. A regular file is the client's own
 * descriptor, copied ({@code pidfd_getfd}): what the command writes moves the offset the client's shell writes at
 * next, as if the client had written it.
 */
final class ClientOutput extends OutputStream {
    /** How long the service waits for a full pipe or terminal before it looks again whether the client lives. */
    private static final long FULL_WAIT_MS = 1;

    private final int fd;
    private final BooleanSupplier clientGone;
    private boolean closed;

    private ClientOutput(int fd, BooleanSupplier clientGone) {
        this.fd = fd;
        this.clientGone = clientGone;
    }

    /**
     * Opens descriptor {@code n} of process {@code pid} for writing; {@code clientGone} tells when to stop waiting for
     * a reader. A terminal opened here never becomes the service's ({@code O_NOCTTY}).
     *
     * @throws IOException when it cannot be opened so: a socket, a pipe no one reads, a process that has ended, a
     *     kernel older than 5.6 (a file)
     */
    static ClientOutput open(long pid, int n, BooleanSupplier clientGone) throws IOException {
        String path = "/proc/" + pid + "/fd/" + n;
        try {
            if (new File(path).isFile()) {
                return new ClientOutput(KernelCalls.copyDescriptor(pid, n), clientGone);
            }
            return new ClientOutput(KernelCalls.open(path, KernelCalls.O_WRONLY | KernelCalls.O_NONBLOCK
                    | KernelCalls.O_NOCTTY | KernelCalls.O_CLOEXEC), clientGone);
        } catch (KernelException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("closed");
        }
        while (len > 0) {
            long n;
            try {
                n = KernelCalls.write(fd, b, off, len);
            } catch (KernelException e) {
                throw new IOException(e.getMessage(), e); // the reader has gone (EPIPE), or the terminal
            }
            if (n == 0) {
                if (clientGone.getAsBoolean()) {
                    throw new IOException("the client has gone");
                }
                try {
                    Thread.sleep(FULL_WAIT_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            off += (int) n;
            len -= (int) n;
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            KernelCalls.close(fd);
        }
    }
}
