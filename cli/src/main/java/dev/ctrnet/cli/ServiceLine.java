package dev.ctrnet.cli;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A line to the ctrnet service: two named pipes in the service's folder, one that carries the client's
 * request (and its Ctrl-C) and one that carries the answer. Opening a file is all it takes, where the
 * JDK's Unix-domain sockets cost a third of a thin client's life to initialize (they set up the
 * security providers for a {@code SecureRandom}, and NIO's native libraries).
 *
 * <p>The service keeps lines ready, each announced by a token in {@code ready/}; a client claims one by
 * moving its token to {@code claimed/ID.PID}. A move succeeds for one client only, so no two share a
 * line, and the service can tell a line whose client died before opening it. The service holds the
 * reply pipe open from the start, so the client's open of it never waits for a live service, and the
 * reply ends when the service does. JDK classes only: the client loads this.
 */
final class ServiceLine {
    static final String READY = "ready";
    static final String CLAIMED = "claimed";
    /** How long a client waits for a ready line of a live service before it declares it unreachable. */
    private static final long CLAIM_TIMEOUT_MS = 20_000;

    final DataOutputStream request;
    final DataInputStream reply;

    private ServiceLine(DataOutputStream request, DataInputStream reply) {
        this.request = request;
        this.reply = reply;
    }

    /** The pipe of line {@code id} that carries requests. */
    static Path requestPipe(Path instance, String id) {
        return instance.resolve(id + ".request");
    }

    /** The pipe of line {@code id} that carries answers. */
    static Path replyPipe(Path instance, String id) {
        return instance.resolve(id + ".reply");
    }

    /**
     * Claims a ready line of the service serving {@code root} for process {@code pid}, and opens it;
     * empty when no service runs, or it stops taking commands.
     */
    static Optional<ServiceLine> claim(Path root, long pid) {
        long deadline = System.nanoTime() + CLAIM_TIMEOUT_MS * 1_000_000;
        while (System.nanoTime() < deadline) {
            Optional<Path> instance = ServiceEndpoint.liveInstance(root);
            if (instance.isEmpty()) {
                return Optional.empty();
            }
            File ready = instance.get().resolve(READY).toFile();
            String[] ids = ready.list();
            if (ids == null) {
                return Optional.empty();
            }
            File claimed = instance.get().resolve(CLAIMED).toFile();
            for (String id : ids) {
                if (new File(ready, id).renameTo(new File(claimed, id + "." + pid))) {
                    return Optional.of(open(instance.get(), id));
                }
            }
            // every ready line was claimed a moment ago: the service makes a new one as each is claimed
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * Opens a claimed line. The request pipe is opened for reading too, so that the open never waits; the
     * service's end of it wakes when it does. The reply pipe is opened for reading while this process holds a
     * writer of its own for a moment, so that the open never waits either: the service holds its end from
     * the start, and should it have died a moment ago, the answer is empty once that writer is closed, as when
     * the service dies during a command.
     */
    private static ServiceLine open(Path instance, String id) {
        File replyFile = replyPipe(instance, id).toFile();
        try {
            RandomAccessFile request = new RandomAccessFile(requestPipe(instance, id).toFile(), "rw");
            FileInputStream reply;
            try (RandomAccessFile momentaryWriter = new RandomAccessFile(replyFile, "rw")) {
                reply = new FileInputStream(replyFile);
            }
            return new ServiceLine(ServiceProtocol.output(new FileOutputStream(request.getFD())),
                    ServiceProtocol.input(reply));
        } catch (IOException e) {
            // the service removed its folder as it ended: an answer that ends at once says so
            return new ServiceLine(ServiceProtocol.output(java.io.OutputStream.nullOutputStream()),
                    ServiceProtocol.input(java.io.InputStream.nullInputStream()));
        }
    }
}
