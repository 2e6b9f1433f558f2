package dev.ctrnet.cli;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A line to the ctrnet service: two named pipes in the service's folder, one that carries the client's
 * request (and its Ctrl-C) and one that carries the answer. Opening a file is all it takes, where the
 * JDK's Unix-domain sockets cost a third of a thin client's life to initialize (they set up the
 * security providers for a {@code SecureRandom}, and NIO's native libraries).
 *
 * <p>The service keeps lines ready, each announced by a token in {@code ready/}; a client claims line ID by
 * creating {@code claimed/ID} exclusively, with its pid inside. One create succeeds, so no two clients share a
 * line, the service takes back a line it no longer serves the same way, and it can tell a line whose client
 * died before opening it. An exclusive create is what {@code bin/ctrnet} can do with shell builtins alone
 * ({@code set -C}): it claims a line and writes the request itself before it starts the JVM (see
 * {@link #sent}), so that the service runs the command while the client's JVM starts. The service holds the
 * reply pipe open from the start, so the client's open of it never waits for a live service, and the reply
 * ends when the service does. JDK classes only: the client loads this.
 */
final class ServiceLine {
    static final String READY = "ready";
    static final String CLAIMED = "claimed";
    private static final String REQUEST = ".request";
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
        return instance.resolve(id + REQUEST);
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
            String[] ids = instance.get().resolve(READY).toFile().list();
            if (ids == null) {
                return Optional.empty();
            }
            for (String id : ids) {
                if (claim(instance.get(), id, pid)) {
                    return Optional.of(open(instance.get(), id));
                }
            }
            // every ready line was claimed a moment ago: the service makes a new one as each is opened
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
     * Claims line {@code id} of {@code instance} for process {@code pid}: false when another has it, or it is gone. A
     * line's token leaves {@code ready/} once a client has opened the line, and before the line's claim goes with it:
     * a claim made after that, by a client that listed the token before, is of a line no longer there, and is
     * dropped (its pipes must not be opened, which would make plain files of them).
     */
    static boolean claim(Path instance, String id, long pid) {
        File claim = instance.resolve(CLAIMED).resolve(id).toFile();
        try {
            if (!claim.createNewFile()) {
                return false;
            }
            try (FileOutputStream out = new FileOutputStream(claim)) {
                out.write(Long.toString(pid).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            if (!instance.resolve(READY).resolve(id).toFile().exists()) {
                claim.delete();
                return false;
            }
            return true;
        } catch (IOException e) {
            return false; // the service's folder went as it ended
        }
    }

    /**
     * The line {@code bin/ctrnet} claimed and sent this command's request on before it started this JVM, which
     * holds that line's request pipe open as the descriptor {@code request} names ({@code /proc/self/fd/N}).
     * Empty when the service that owned the line has ended without reading the request: then no part of the
     * command ran, and the client sends it again as usual. A service that ended after reading it answers
     * nothing, as one that ends during a command does. Tells the service once it holds the answering pipe, which
     * the service keeps open until then.
     */
    static Optional<ServiceLine> sent(Path request) {
        Path pipe;
        try {
            pipe = Files.readSymbolicLink(request);
        } catch (IOException e) {
            return Optional.empty();
        }
        String name = pipe.getFileName().toString();
        Path instance = pipe.getParent();
        if (instance == null || !name.endsWith(REQUEST) || !ServiceEndpoint.isLive(instance.getFileName().toString())) {
            return unread(request) ? Optional.empty() : Optional.of(ended());
        }
        ServiceLine line = open(instance, name.substring(0, name.length() - REQUEST.length()));
        try {
            ServiceProtocol.write(line.request, ServiceProtocol.ATTACHED, new byte[0]);
        } catch (IOException e) {
            // the line is gone with its service: the answer, empty, says so
        }
        return Optional.of(line);
    }

    /** Whether the request written to {@code request}, a pipe, is still there: no service read any of it. */
    private static boolean unread(Path request) {
        try (FileInputStream in = new FileInputStream(request.toFile())) {
            // the bytes in the pipe, for a pipe
            return in.available() > 0;
        } catch (IOException e) {
            return true;
        }
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
            return ended();
        }
    }

    /** The line of a service that has ended: its answer is empty. */
    private static ServiceLine ended() {
        return new ServiceLine(ServiceProtocol.output(java.io.OutputStream.nullOutputStream()),
                ServiceProtocol.input(java.io.InputStream.nullInputStream()));
    }
}
