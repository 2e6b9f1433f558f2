package dev.ctrnet.cli;

import dev.ctrnet.core.Runtime;
import dev.ctrnet.core.RuntimeConfig;
import dev.ctrnet.core.container.ContainerRecord;
import dev.ctrnet.core.container.ProcessTable;
import dev.ctrnet.core.container.StartedContainer;
import dev.ctrnet.core.container.Stdio;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ctrnet service: a JVM that stays warm and runs commands for {@link Client}s of one state root,
 * each with the same command code as {@code --no-daemon} ({@link Main#execute}), so there is one
 * implementation of every command. The state on disk stays the only truth: every command takes the
 * state lock and reads what it needs, so the service, in-process commands and embedding programs can
 * work on one root at once, and a killed service loses nothing.
 *
 * <p>It takes commands on {@link ServiceLine}s in {@code RUN/service} (named pipes, mode 0600 in 0700
 * folders: root only), serves
 * only clients in its own network and mount namespaces whose environment matches what the runtime
 * reads from its own, and exits after {@code CTRNET_SERVICE_IDLE} seconds (default 300) without a
 * command running (a command it declines does not count); a client of a newer build makes it step down at
 * once, as {@code service stop} does. A detached container started through it is its child: it records the container's
 * exit status and removes an {@code --rm} one when the command ends, and it does not exit before then
 * (no monitor process runs beside the container); if it is killed first, {@code system prune} removes
 * the exited container.
 */
final class Service {
    /** Variables the runtime reads from the process environment: a client with others runs in-process. */
    private static final List<String> PROCESS_ENVIRONMENT = List.of("PATH", "CTRNET_CRASH_AT",
            "CTRNET_CRASH_AFTER_CHANGE", "CTRNET_LOG", "CTRNET_TOOL_TIMEOUT", "CTRNET_LIBNFTABLES", "CTRNET_LOCK_TIMEOUT");
    private static final Duration DEFAULT_IDLE = Duration.ofSeconds(300);
    /** How long an empty client environment is read again (see {@link #environmentOf}). */
    private static final Duration EXEC_WAIT = Duration.ofMillis(500);

    private static volatile Service current;

    private final Path root;
    /**
     * Its namespaces and build, read once: they do not change while it runs, and a jar rebuilt under it
     * must not make it pass for the new build.
     */
    private final String identity = ServiceEndpoint.identity();
    private final PreparedCommands commands = new PreparedCommands();
    private final ServiceWarmUp warmUp;
    private volatile ServiceDoor door;
    private final Duration idle;
    private final Instant started = Instant.now();
    /** Detached containers started as this service's children, whose end it records. */
    private final AtomicInteger monitored = new AtomicInteger();
    /** Those of them run with {@code --rm}, which it removes when they end. */
    private final AtomicInteger owed = new AtomicInteger();
    private final AtomicLong served = new AtomicLong();
    /** Those of them whose request bin/ctrnet sent before it started the client's JVM. */
    private final AtomicLong sentAhead = new AtomicLong();
    private final AtomicLong lastActivity = new AtomicLong(System.nanoTime());
    private volatile boolean stopping;

    private Service(Path root, Duration idle) {
        this.root = root;
        this.idle = idle;
        this.warmUp = new ServiceWarmUp(root, () -> door.serving(), lastActivity::get);
    }

    /**
     * Makes the service folder, readable by root only, and the folders above it that are missing (the
     * state root itself, on first use) the same way, as the runtime makes them.
     */
    static void prepareFolder(Path dir) throws IOException {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    /** The service running in this JVM, if this JVM is one. */
    static Optional<Service> current() {
        return Optional.ofNullable(current);
    }

    /** Serves {@code root}'s clients until idle; never returns. */
    static void serve(Path root) {
        Duration idle = Optional.ofNullable(System.getenv("CTRNET_SERVICE_IDLE")).filter(s -> s.matches("[0-9]{1,9}"))
                .map(s -> Duration.ofSeconds(Long.parseLong(s))).orElse(DEFAULT_IDLE);
        Main.configureLogging(new String[0], System.getenv());
        Service service = new Service(root, idle);
        current = service;
        RoutedOutput.install();
        try {
            service.door = ServiceDoor.open(root, service::serveClient, service::afterCommand);
        } catch (IOException | RuntimeException e) {
            System.err.println("ctrnet service: cannot open its lines in " + ServiceEndpoint.folder(root) + ": "
                    + e.getMessage());
            System.exit(1);
        }
        service.watchIdle();
    }

    /** {@code ctrnet service status}. */
    String status() {
        long pid = ProcessHandle.current().pid();
        return "running: pid " + pid + ", root " + root + ", folder " + ServiceEndpoint.folder(root) + ", up since " + started
                + ", commands served " + served.get() + " (" + sentAhead.get() + " sent ahead by bin/ctrnet), running now " + (door.serving() - 1)
                + ", containers monitored " + monitored.get() + ", --rm containers to remove " + owed.get()
                + ", exits after " + idle.toSeconds() + " s idle, " + warmUp.progress();
    }

    /**
     * {@code ctrnet service stop}: stops accepting now and exits once the running commands end and the
     * detached containers it monitors have ended (and, run with {@code --rm}, are removed).
     */
    void stop() {
        stopping = true;
        // a service that stops takes no command any more: warming up would only take CPU from the one after it
        warmUp.end();
        door.close();
        exitWhenDone();
    }

    /**
     * Monitors a detached container started as this service's child: a thread of its own waits for its
     * command to end, records the exit status and removes an {@code --rm} container, without an open
     * runtime meanwhile. The service does not exit before.
     */
    void monitor(RuntimeConfig config, StartedContainer started) {
        ContainerRecord container = started.state().record();
        boolean remove = container.autoRemove();
        monitored.incrementAndGet();
        if (remove) {
            owed.incrementAndGet();
        }
        Thread t = new Thread(() -> {
            // it outlives the command that started it: what it prints goes to the service's log
            RoutedOutput.unroute();
            try {
                int status = started.process().waitFor();
                try (Runtime runtime = Runtime.open(config)) {
                    runtime.recordEnd(container, status);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // an exited --rm container stays for system prune, which removes exited --rm containers
                System.err.println("ctrnet service: cannot record the end of container " + container.name() + ": "
                        + e.getMessage());
            } finally {
                lastActivity.set(System.nanoTime());
                monitored.decrementAndGet();
                if (remove) {
                    owed.decrementAndGet();
                }
                if (stopping) {
                    exitWhenDone();
                }
            }
        }, "ctrnet-monitor");
        t.start();
    }

    /**
     * Serves one client's command, or declines it. A declined command is no activity: it keeps no service alive. A
     * client of a newer build (ctrnet rebuilt or upgraded) also makes this service step down, as {@code service stop}
     * does, so that the next command starts a service of its own build instead of running in-process for ever.
     */
    private void serveClient(ServiceDoor.Conversation conversation) {
        try {
            DataOutputStream out = ServiceProtocol.output(conversation.reply());
            DataInputStream in = ServiceProtocol.input(conversation.request());
            Optional<ServiceProtocol.Frame> first = ServiceProtocol.read(in);
            if (first.isEmpty() || first.get().type() != ServiceProtocol.REQUEST) {
                return;
            }
            ServiceProtocol.Request request = ServiceProtocol.Request.decode(first.get().payload());
            if (request.line() >= 0 && !holds(request.pid(), request.line(), conversation.requestPipe())) {
                // a shell's $$ in a PID namespace of its own names another process here, or none
                decline(request, "process " + request.pid() + " is not the client here (another PID namespace)", in, out);
                return;
            }
            Optional<Map<String, String>> environment = environmentOf(request.pid());
            Optional<Path> workingDirectory = ProcessTable.workingDirectory(request.pid());
            if (environment.isEmpty() || workingDirectory.isEmpty()) {
                return; // the client has gone
            }
            Optional<String> decline = declineReason(request, environment.get());
            AtomicBoolean gone = new AtomicBoolean();
            Answer answer = null;
            if (decline.isEmpty()) {
                try {
                    answer = request.shell() ? ShellAnswer.open(request, out, gone::get) : new FramedAnswer(out);
                } catch (IOException e) {
                    decline = Optional.of("cannot write to the client's streams: " + e.getMessage());
                }
            }
            if (decline.isPresent()) {
                decline(request, decline.get(), in, out);
                if (ServiceEndpoint.isNewerBuild(request.namespaces(), identity)) {
                    System.err.println("ctrnet service: a client of a newer build came (" + request.namespaces()
                            + "): stepping down");
                    stop();
                }
                return;
            }
            lastActivity.set(System.nanoTime());
            served.incrementAndGet();
            if (request.fromLauncher()) {
                sentAhead.incrementAndGet();
            }
            try (Answer open = answer) {
                run(request, environment.get(), workingDirectory.get(), in, open, () -> {
                    gone.set(true);
                    conversation.clientGone().run();
                });
            } finally {
                lastActivity.set(System.nanoTime());
            }
        } catch (IOException e) {
            // the client went away; whatever its command changed is recorded in the state as usual
        }
    }

    /** Tells the client to run its command in its own process, and why. */
    private static void decline(ServiceProtocol.Request request, String reason, DataInputStream in, DataOutputStream out)
            throws IOException {
        if (request.shell()) {
            out.write((ServiceProtocol.SHELL_IN_PROCESS + reason.replace('\n', ' ') + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return;
        }
        ServiceProtocol.writeString(out, ServiceProtocol.IN_PROCESS, reason);
        if (request.fromLauncher()) {
            // the answer is in the pipe once the client's JVM holds it; the command it then runs is its own
            new Signals(true).listenUntilAttached(in);
        }
    }

    /**
     * The client's environment. A request bin/ctrnet sent comes as that shell becomes the client's JVM, and while it
     * does (inside execve) the kernel shows an empty environment for a moment; the JVM's, with at least the variables
     * the shell exports, follows within milliseconds. A client with truly none is served with none after a short while.
     */
    private static Optional<Map<String, String>> environmentOf(long pid) {
        long deadline = System.nanoTime() + EXEC_WAIT.toNanos();
        Optional<Map<String, String>> environment = ProcessTable.environment(pid);
        while (environment.isPresent() && environment.get().isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            environment = ProcessTable.environment(pid);
        }
        return environment;
    }

    /** Once a command's line is free: a stopping service exits when nothing else is left. */
    private void afterCommand() {
        if (stopping) {
            exitWhenDone();
        } else {
            warmUp.startOnce();
        }
    }

    private void run(ServiceProtocol.Request request, Map<String, String> environment, Path workingDirectory,
            DataInputStream in, Answer answer, Runnable clientGone) throws IOException {
        Signals signals = new Signals(request.fromLauncher() && !request.shell());
        AtomicBoolean answered = new AtomicBoolean();
        Thread listener = new Thread(() -> {
            signals.listen(in);
            // the request's end: the client has gone, unless the answer is complete and the line closed the request
            // here before this thread first read it; a drain of the answering pipe would then race the client for
            // the exit status (bin/ctrnet reported "the service ended" for a refused command so, under load)
            if (!answered.get()) {
                clientGone.run();
            }
        }, "ctrnet-signals");
        listener.setDaemon(true);
        listener.start();
        PrintStream stdout = answer.stdout();
        PrintStream stderr = answer.stderr();
        int status;
        String[] args = request.args().toArray(String[]::new);
        RoutedOutput.route(stdout, stderr);
        try {
            Invocation invocation = new Invocation(environment, workingDirectory, stdioOf(request.pid(), request.stdio()), signals);
            status = commands.take(args).execute(args, invocation);
        } catch (RuntimeException | LinkageError e) {
            // Main reports the command's own failures; this is the service's, and the service lives on
            stderr.println("ctrnet: the ctrnet service failed: " + e);
            status = Main.FAILED;
        } finally {
            stdout.flush();
            stderr.flush();
            RoutedOutput.unroute();
        }
        answer.exit(status);
        answered.set(true);
        commands.replace(args);
        signals.awaitAttached();
    }

    /** Where a command's output and exit status go. */
    private interface Answer extends AutoCloseable {
        PrintStream stdout();

        PrintStream stderr();

        void exit(int status) throws IOException;

        @Override
        void close();
    }

    /** To the JVM client, in frames it relays. */
    private record FramedAnswer(DataOutputStream out, PrintStream stdout, PrintStream stderr) implements Answer {
        FramedAnswer(DataOutputStream out) {
            this(out, FrameOutput.printStream(out, ServiceProtocol.STDOUT), FrameOutput.printStream(out, ServiceProtocol.STDERR));
        }

        @Override
        public void exit(int status) throws IOException {
            ServiceProtocol.writeInt(out, ServiceProtocol.EXIT, status);
        }

        @Override
        public void close() {
            // the line closes with the conversation
        }
    }

    /**
     * To {@code bin/ctrnet}'s shell: the output straight to its standard output and error, and the status as a line
     * the shell reads with its {@code read} builtin.
     */
    private record ShellAnswer(DataOutputStream reply, ClientOutput out, ClientOutput err, PrintStream stdout,
            PrintStream stderr) implements Answer {
        static ShellAnswer open(ServiceProtocol.Request request, DataOutputStream reply, BooleanSupplier clientGone)
                throws IOException {
            ClientOutput out = ClientOutput.open(request.pid(), request.stdio().get(1), clientGone);
            ClientOutput err;
            try {
                err = ClientOutput.open(request.pid(), request.stdio().get(2), clientGone);
            } catch (IOException e) {
                out.close();
                throw e;
            }
            // flushed at each line, as the frames are (see RoutedOutput)
            return new ShellAnswer(reply, out, err, new PrintStream(new BufferedOutputStream(out, 8192), false),
                    new PrintStream(new BufferedOutputStream(err, 8192), false));
        }

        @Override
        public void exit(int status) throws IOException {
            reply.write((ServiceProtocol.SHELL_EXIT + status + "\n").getBytes(StandardCharsets.US_ASCII));
            reply.flush();
        }

        @Override
        public void close() {
            out.close();
            err.close();
        }
    }

    /** Why a client's command must run in its own process instead, if it must. */
    private Optional<String> declineReason(ServiceProtocol.Request request, Map<String, String> environment) {
        if (request.version() != ServiceProtocol.VERSION) {
            return Optional.of("the client is of another build (protocol version " + request.version() + ")");
        }

        // an empty identity is bin/ctrnet's own request, sent only to a service of its jar (see ServiceDoor.showBuild)
        if (request.namespaces().isEmpty() ? !ServiceEndpoint.inNamespacesOf(identity, request.pid())
                : !request.namespaces().equals(identity)) {
            return Optional.of("the client is of another build or namespace (" + request.namespaces() + ")");
        }
        for (String name : PROCESS_ENVIRONMENT) {
            if (!Objects.equals(nonEmpty(System.getenv(name)), nonEmpty(environment.get(name)))) {
                return Optional.of("the client's " + name + " differs from the service's");
            }
        }
        if (request.args().stream().takeWhile(a -> !a.equals("--")).anyMatch(a -> a.startsWith("--log-level"))) {
            return Optional.of("a log level is set per process");
        }
        return Optional.empty();
    }

    /** Whether process {@code pid}'s descriptor {@code fd} is {@code file}. */
    private static boolean holds(long pid, int fd, Path file) {
        try {
            return Files.isSameFile(Path.of("/proc/" + pid + "/fd/" + fd), file);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The client's own standard streams, opened through {@code /proc/PID/fd} (a terminal or a pipe), so a
     * foreground container writes to them directly. Output to a regular file is piped and relayed
     * instead: a file opened anew has an offset of its own, and what the client's shell writes next
     * would overwrite it. Streams that cannot be opened so (sockets) are relayed too, and standard input
     * is then empty.
     */
    private static Stdio stdioOf(long pid, List<Integer> stdio) {
        File in = new File("/proc/" + pid + "/fd/" + stdio.get(0));
        File out = new File("/proc/" + pid + "/fd/" + stdio.get(1));
        File err = new File("/proc/" + pid + "/fd/" + stdio.get(2));
        return new Stdio(opens(in, false) ? Redirect.from(in) : Redirect.from(new File("/dev/null")),
                sharedDirectly(out) ? Redirect.appendTo(out) : Redirect.PIPE,
                sharedDirectly(err) ? Redirect.appendTo(err) : Redirect.PIPE);
    }

    private static boolean sharedDirectly(File output) {
        return !output.isFile() && opens(output, true);
    }

    private static boolean opens(File file, boolean write) {
        try (var stream = write ? new FileOutputStream(file, true) : new FileInputStream(file)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void watchIdle() {
        Thread t = new Thread(() -> {
            while (true) {
                door.reapAbandoned();
                if (stopping) {
                    exitWhenDone();
                }
                long quiet = System.nanoTime() - lastActivity.get();
                if (!stopping && monitored.get() == 0 && door.linesInUse() == 0
                        && quiet >= idle.toNanos()) {
                    stop();
                }
                try {
                    Thread.sleep(Math.max(100, Math.min(1000, (idle.toNanos() - quiet) / 1_000_000)));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "ctrnet-idle");
        t.setDaemon(true);
        t.start();
    }

    private synchronized void exitWhenDone() {
        if (stopping && monitored.get() == 0 && door.linesInUse() == 0) {
            door.remove();
            System.exit(0);
        }
    }

    private static String nonEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /**
     * What the client sends while its command runs: interrupts ({@link ServiceProtocol#SIGNAL}), and that the JVM of a
     * request {@code bin/ctrnet} sent has opened the answering pipe ({@link ServiceProtocol#ATTACHED}).
     */
    private static final class Signals implements Invocation.Interrupts {
        private final List<Runnable> actions = new CopyOnWriteArrayList<>();
        private final CountDownLatch attached;

        /** @param fromLauncher whether the client's JVM is yet to say it has opened the answering pipe */
        Signals(boolean fromLauncher) {
            attached = new CountDownLatch(fromLauncher ? 1 : 0);
        }

        @Override
        public Registration onInterrupt(Runnable action) {
            actions.add(action);
            return () -> actions.remove(action);
        }

        /** Reads the client's frames until it has gone. */
        void listen(DataInputStream in) {
            read(in, false);
        }

        /** Reads the client's frames until its JVM has opened the answering pipe, or it has gone. */
        void listenUntilAttached(DataInputStream in) {
            read(in, true);
        }

        private void read(DataInputStream in, boolean untilAttached) {
            try {
                Optional<ServiceProtocol.Frame> frame;
                while (!(untilAttached && attached.getCount() == 0) && (frame = ServiceProtocol.read(in)).isPresent()) {
                    switch (frame.get().type()) {
                        case ServiceProtocol.SIGNAL -> actions.forEach(Runnable::run);
                        case ServiceProtocol.ATTACHED -> attached.countDown();
                        default -> {
                            // nothing else comes after a request
                        }
                    }
                }
            } catch (IOException e) {
                // the client is gone: a foreground container runs on, as Docker's does when its client dies
            } finally {
                attached.countDown(); // attached, or gone: no one to wait for either way
            }
        }

        /**
         * Waits until the answering pipe is held by the client: then the service may close its own end, and what it
         * wrote stays for the client to read.
         */
        void awaitAttached() {
            try {
                attached.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Bytes a command prints, sent to the client as frames of one type. */
    static final class FrameOutput extends OutputStream {
        /** Enough for any line a command prints; a longer one goes in several frames. */
        private static final int LINE_BUFFER = 8192;

        private final DataOutputStream out;
        private final byte type;

        FrameOutput(DataOutputStream out, byte type) {
            this.out = out;
            this.type = type;
        }

        /**
         * A command's stream to the client, sent when flushed: the command's {@code System.out} and
         * {@code System.err} (see {@link RoutedOutput}) flush it at each line and whenever the command flushes
         * them (a container's output relayed), and the command's end does. So a frame per line, not per
         * {@code print}: {@code printf} appends each cell and each padding on its own, and a frame costs a
         * write, a read and a wake-up on both sides (a table of two rows went as ~100 frames).
         */
        static PrintStream printStream(DataOutputStream out, byte type) {
            return new PrintStream(new BufferedOutputStream(new FrameOutput(out, type), LINE_BUFFER), false);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > 0) {
                ServiceProtocol.write(out, type, java.util.Arrays.copyOfRange(b, off, off + len));
            }
        }
    }

    /**
     * {@code System.out} and {@code System.err} of the service: each command's thread (and the threads
     * it starts) prints to its own client, everything else to the service's log.
     */
    static final class RoutedOutput {
        private static final InheritableThreadLocal<PrintStream[]> ROUTE = new InheritableThreadLocal<>();

        static void install() {
            PrintStream log = System.out;
            PrintStream logErr = System.err;
            System.setOut(stream(log, 0));
            System.setErr(stream(logErr, 1));
        }

        /**
         * The stream that prints to the thread's route ({@code index} 0 for its output, 1 for its errors), or to
         * {@code fallback}. Not autoflush, which would flush at every print (a PrintStream writes each print as
         * a byte array): the switch flushes at each line, and whenever the command flushes.
         */
        static PrintStream stream(PrintStream fallback, int index) {
            return new PrintStream(new Switch(fallback, index), false);
        }

        static void route(PrintStream out, PrintStream err) {
            ROUTE.set(new PrintStream[] {out, err});
        }

        static void unroute() {
            ROUTE.remove();
        }

        private static final class Switch extends OutputStream {
            private final PrintStream fallback;
            private final int index;

            Switch(PrintStream fallback, int index) {
                this.fallback = fallback;
                this.index = index;
            }

            private PrintStream target() {
                PrintStream[] route = ROUTE.get();
                return route == null ? fallback : route[index];
            }

            @Override
            public void write(int b) {
                PrintStream target = target();
                target.write(b);
                if (b == '\n') {
                    target.flush();
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                PrintStream target = target();
                target.write(b, off, len);
                for (int i = off; i < off + len; i++) {
                    if (b[i] == '\n') {
                        target.flush();
                        return;
                    }
                }
            }

            @Override
            public void flush() {
                target().flush();
            }
        }
    }
}
