package dev.ctrnet.cli;

import dev.ctrnet.core.container.ProcessTable;
import dev.ctrnet.core.kernel.KernelCalls;
import dev.ctrnet.core.state.StateStore;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The service's side of its {@link ServiceLine}s: a folder of its own under the service folder, made
 * current by the {@code current} link, where it keeps {@link #READY_LINES} lines ready, each with a
 * thread that waits for its client, and makes a new line as each is opened by the client that claimed it.
 */
final class ServiceDoor {
    /** Lines kept ready: clients that come at once claim one each instead of waiting for the next. */
    static final int READY_LINES = 2;
    /**
     * The service's temporary folder (a dry run's copy of the records): it goes with the instance's folder, also when
     * the service is killed (the next service removes the folders of dead ones), where /tmp would keep it.
     */
    static final String TEMPORARY = "tmp";
    /** A link to the jar the service runs (see {@link #showBuild}). */
    static final String JAR = "jar";
    /** A file whose time is that of the jar the service runs. */
    static final String BUILD = "build";

    private final Path folder;
    private final Path instance;
    private final Consumer<Conversation> serve;
    private final Runnable served;
    private final AtomicLong lastId = new AtomicLong();
    /** Lines whose thread still waits for its client, by id. */
    private final Map<String, RandomAccessFile> waiting = new ConcurrentHashMap<>();
    /** Lines whose client's command is being served. */
    private final AtomicInteger serving = new AtomicInteger();
    private volatile boolean closed;

    private ServiceDoor(Path folder, Path instance, Consumer<Conversation> serve, Runnable served) {
        this.folder = folder;
        this.instance = instance;
        this.serve = serve;
        this.served = served;
    }

    /** One client's command: its request and the service's answer. */
    record Conversation(InputStream request, FileOutputStream reply, Runnable clientGone, Path requestPipe) {}

    /**
     * Opens the door of the service of {@code root}, which is this process: removes what dead services
     * left, makes the lines and points the {@code current} link here. Each client's conversation is
     * handed to {@code serve}; {@code served} runs once it has ended and its line is no longer in use.
     */
    static ServiceDoor open(Path root, Consumer<Conversation> serve, Runnable served) throws IOException {
        Path folder = ServiceEndpoint.folder(root);
        Service.prepareFolder(folder);
        long pid = ProcessHandle.current().pid();
        String name = ServiceEndpoint.instanceName(pid, ProcessTable.startTime(pid)
                .orElseThrow(() -> new IOException("cannot read its own start time")));
        removeDeadInstances(folder);
        Path instance = folder.resolve(name);
        for (Path dir : new Path[] {instance, instance.resolve(ServiceLine.READY), instance.resolve(ServiceLine.CLAIMED),
                instance.resolve(TEMPORARY)}) {
            Service.prepareFolder(dir);
        }
        // before any command can come (a dry run reads it for each copy of the records)
        System.setProperty("java.io.tmpdir", instance.resolve(TEMPORARY).toString());
        showBuild(instance);
        ServiceDoor door = new ServiceDoor(folder, instance, serve, served);
        for (int i = 0; i < READY_LINES; i++) {
            door.makeLine();
        }
        Path link = folder.resolve("current." + pid);
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, Path.of(name));
        Files.move(link, folder.resolve("current"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return door;
    }

    /**
     * Shows {@code bin/ctrnet} which build this service runs, in terms its shell builtins can check ({@code -ef},
     * {@code -nt}, {@code -ot}): {@link #JAR} leads to the jar it runs, and {@link #BUILD} bears that jar's time. The
     * launcher sends a request itself only to a service of its own jar, unchanged since; any other gets the
     * client's request, and declines or steps down as {@link Service} decides.
     */
    private static void showBuild(Path instance) throws IOException {
        Optional<File> jar = ServiceEndpoint.jar();
        if (jar.isPresent()) {
            Path file = jar.get().toPath().toAbsolutePath().normalize();
            Files.createSymbolicLink(instance.resolve(JAR), file);
            Path build = Files.createFile(instance.resolve(BUILD));
            Files.setLastModifiedTime(build, Files.getLastModifiedTime(file));
        }
    }

    /** The folders of services that no longer run, and a socket an older build listened on. */
    private static void removeDeadInstances(Path folder) throws IOException {
        Files.deleteIfExists(folder.resolve("service.sock"));
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path dead : entries.filter(p -> p.getFileName().toString().startsWith("instance."))
                    .filter(p -> !ServiceEndpoint.isLive(p.getFileName().toString())).toList()) {
                StateStore.deleteTree(dead);
            }
        }
    }

    /**
     * Makes a line: its two pipes, the reply pipe held open here (so that the client's open of it never
     * waits while this service lives, and ends when it dies), a thread that waits for the client to open
     * the request pipe, and then the token that lets a client claim it.
     */
    private void makeLine() {
        String id = Long.toString(lastId.incrementAndGet());
        Path request = ServiceLine.requestPipe(instance, id);
        Path reply = ServiceLine.replyPipe(instance, id);
        try {
            KernelCalls.mkfifo(request, 0600);
            KernelCalls.mkfifo(reply, 0600);
            RandomAccessFile replyEnd = new RandomAccessFile(reply.toFile(), "rw");
            waiting.put(id, replyEnd);
            Thread t = new Thread(() -> awaitClient(id, replyEnd), "ctrnet-line-" + id);
            // what keeps the service's JVM alive, whichever thread makes the line
            t.setDaemon(false);
            t.start();
            Files.createFile(instance.resolve(ServiceLine.READY).resolve(id),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a line in " + instance, e);
        }
    }

    /**
     * Makes a line unless the door has closed. Under the door's lock, as {@link #close()} marks it closed: a line
     * made while close() removes the ready ones would stay claimable, and a client could claim it as the service
     * exits, then find no one to answer it.
     */
    private synchronized void makeLineIfOpen() {
        if (!closed) {
            makeLine();
        }
    }

    private void awaitClient(String id, RandomAccessFile replyEnd) {
        Path request = ServiceLine.requestPipe(instance, id);
        // returns once the client that claimed the line opens it, or the door closes or reaps it
        try (FileInputStream in = new FileInputStream(request.toFile());
                RandomAccessFile reply = replyEnd) {
            // counted as served before it stops counting as waiting: the service never looks idle in between
            serving.incrementAndGet();
            try {
                if (waiting.remove(id) == null) {
                    return;
                }
                // claimed and opened: no other client need try it
                Files.deleteIfExists(instance.resolve(ServiceLine.READY).resolve(id));
                makeLineIfOpen();
                FileOutputStream out = new FileOutputStream(reply.getFD());
                serve.accept(new Conversation(in, out, () -> drain(ServiceLine.replyPipe(instance, id)), request));
            } finally {
                serving.decrementAndGet();
            }
            served.run();
        } catch (IOException | UncheckedIOException e) {
            System.err.println("ctrnet service: line " + id + ": " + e.getMessage());
        } finally {
            removeLine(id);
        }
    }

    /**
     * Reads and drops what the command still prints once its client is gone: the pipe would fill, and the
     * command wait to write, for ever. Ends when the command's end of the pipe is closed.
     */
    private static void drain(Path reply) {
        Thread t = new Thread(() -> {
            try {
                int fd = KernelCalls.openPipeForReading(reply);
                try {
                    byte[] buffer = new byte[8192];
                    while (KernelCalls.read(fd, buffer) > 0) {
                        // dropped
                    }
                } finally {
                    KernelCalls.close(fd);
                }
            } catch (RuntimeException e) {
                // the command ended and its line went with it
            }
        }, "ctrnet-drain");
        t.setDaemon(true);
        t.start();
    }

    private void removeLine(String id) {
        try {
            Files.deleteIfExists(instance.resolve(ServiceLine.READY).resolve(id));
            Files.deleteIfExists(ServiceLine.requestPipe(instance, id));
            Files.deleteIfExists(ServiceLine.replyPipe(instance, id));
            Files.deleteIfExists(instance.resolve(ServiceLine.CLAIMED).resolve(id));
        } catch (IOException e) {
            System.err.println("ctrnet service: cannot remove line " + id + ": " + e.getMessage());
        }
    }

    /** A client's claim of a line: the file {@code claimed/LINE}, which holds the client's pid. */
    private record Claim(String line, File file) {
        /**
         * How long a claim may stay empty: a client writes its pid right after it has made the file, so an empty
         * one this old is that of a client that died in between.
         */
        private static final long EMPTY_FOR_MS = 10_000;

        /** Whether the client that claimed the line has ended. */
        boolean clientGone() {
            String pid;
            try (FileInputStream in = new FileInputStream(file)) {
                pid = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim();
            } catch (IOException e) {
                return false; // the line's thread removed it a moment ago
            }
            if (pid.isEmpty()) {
                return System.currentTimeMillis() - file.lastModified() > EMPTY_FOR_MS;
            }
            try {
                return ProcessTable.startTime(Long.parseLong(pid)).isEmpty();
            } catch (NumberFormatException e) {
                return true;
            }
        }
    }

    private List<Claim> claims() {
        File claimed = instance.resolve(ServiceLine.CLAIMED).toFile();
        String[] names = claimed.list();
        List<Claim> claims = new ArrayList<>();
        for (String name : names == null ? new String[0] : names) {
            claims.add(new Claim(name, new File(claimed, name)));
        }
        return claims;
    }

    /**
     * Lines claimed by a client that died before it opened them: each would keep its thread waiting, and
     * the service from exiting, for ever. Wakes and removes them, and makes new lines in their place.
     */
    void reapAbandoned() {
        for (Claim claim : claims()) {
            if (!Files.exists(ServiceLine.requestPipe(instance, claim.line()))) {
                // bin/ctrnet's claim of a line that was gone (see ServiceLine.claim): its shell has no call to remove it
                claim.file().delete();
                continue;
            }
            if (waiting.containsKey(claim.line()) && claim.clientGone() && waiting.remove(claim.line()) != null) {
                wake(claim.line());
                makeLineIfOpen();
            }
        }
    }

    /**
     * Lines whose command is being served, and lines claimed whose client has not opened them yet: their
     * commands are owed. The service does not exit before it has served them (or reaped them, their
     * client dead).
     */
    int linesInUse() {
        int owed = serving.get();
        for (Claim claim : claims()) {
            if (waiting.containsKey(claim.line())) {
                owed++;
            }
        }
        return owed;
    }

    /** Commands being served now. */
    int serving() {
        return serving.get();
    }

    /**
     * Takes no more clients: a new command starts a new service. Lines not yet claimed go now; those
     * claimed a moment ago are still served.
     */
    void close() {
        synchronized (this) {
            closed = true;
        }
        Path current = folder.resolve("current");
        try {
            if (Files.readSymbolicLink(current).equals(instance.getFileName())) {
                Files.delete(current);
            }
        } catch (IOException e) {
            // a newer service's link, or none
        }
        long pid = ProcessHandle.current().pid();
        String[] ready = instance.resolve(ServiceLine.READY).toFile().list();
        for (String id : ready == null ? new String[0] : ready) {
            // the service claims its own ready lines back, as a client would: a line a client claimed first is served
            if (ServiceLine.claim(instance, id, pid) && waiting.remove(id) != null) {
                wake(id);
            }
        }
    }

    /** Removes this service's folder as it exits. */
    void remove() {
        try {
            StateStore.deleteTree(instance);
        } catch (RuntimeException e) {
            // the next service removes it
        }
    }

    /** Wakes the thread that waits for line {@code id}'s client, which then finds the line not claimed. */
    private void wake(String id) {
        try {
            new RandomAccessFile(ServiceLine.requestPipe(instance, id).toFile(), "rw").close();
        } catch (IOException e) {
            System.err.println("ctrnet service: cannot wake line " + id + ": " + e.getMessage());
        }
    }
}
