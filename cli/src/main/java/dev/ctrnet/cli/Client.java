package dev.ctrnet.cli;

import dev.ctrnet.core.RuntimeConfig;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The {@code ctrnet} command as users start it: a thin client that hands the command line to the
 * ctrnet service of its state root over a root-only {@link ServiceLine}, starting the service first when none
 * runs, and relays what the command prints and its exit status. A JVM per command spends hundreds of
 * milliseconds warming up; the service is warm, so the command costs little more than this class.
 *
 * <p>The command runs in this process instead ({@code --no-daemon}) when asked to, and when the service
 * could not do it the same way: another network or mount namespace, or an environment the runtime reads
 * (a test's fault injection, a log level, another {@code PATH}) that differs from the service's.
 *
 * <p>Only JDK classes on this path (and {@link RuntimeConfig}'s one rule for where a root keeps its
 * runtime files): no picocli, JNA or Dagger is loaded unless the command runs here.
 */
public final class Client {
    /** How the service's JVM compiles (see {@link #spawn}); bench/run.sh measures in-process attach with them too. */
    static final List<String> SERVICE_COMPILER = List.of("-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=0.01");
    /** Global options that take a value, so that the command's name can be told from an option's value. */
    private static final List<String> WITH_VALUE = List.of("--root", "--nat", "--plugin-dir", "--log-level");
    /** How long a new service may take to open its lines before the command runs in-process instead. */
    private static final long START_TIMEOUT_MS = 20_000;
    /** How often the client looks whether a service it started has opened its lines yet. */
    private static final long START_POLL_MS = 5;
    /**
     * The system property by which {@code bin/ctrnet} tells that it has claimed a line and sent the request itself,
     * before it started this JVM: the descriptor of the line's request pipe, which this JVM holds open.
     */
    private static final String SENT = "ctrnet.sent";
    /** How long after Ctrl-C the service may take to stop a foreground container before we give up. */
    private static final long SIGNAL_TIMEOUT_MS = 15_000;

    private Client() {}

    public static void main(String[] args) {
        dropRefusedArchive();
        // no lambda on the client's path: the first costs milliseconds of bootstrap
        String sentOn = System.getProperty(SENT);
        Optional<ServiceLine> sent = sentOn == null ? Optional.empty() : ServiceLine.sent(Path.of("/proc/self/fd/" + sentOn));
        if (sent.isPresent()) {
            // bin/ctrnet sent the request, and the service runs it: what is left is to relay its answer
            relay(args, sent.get());
            return;
        }
        Globals globals = Globals.of(args);
        if (globals.inProcess()) {
            Main.main(args);
            return;
        }
        if (globals.isServe()) {
            Service.serve(globals.root().orElseThrow());
            return;
        }
        if (globals.isVersion()) {
            // the client is the service's build (or the service would not serve it): no need to ask
            System.out.println(Version.text());
            System.out.flush();
            java.lang.Runtime.getRuntime().halt(0);
        }
        int status;
        try {
            status = viaService(args, globals);
        } catch (InProcess fallback) {
            Main.main(args);
            return;
        }
        exit(status);
    }

    /** Relays the service's answer on {@code line}, whose request bin/ctrnet sent, and exits with its status. */
    private static void relay(String[] args, ServiceLine line) {
        int status;
        try {
            status = converse(line, Optional.empty());
        } catch (IOException | InProcess declined) {
            Main.main(args);
            return;
        }
        exit(status);
    }

    private static void exit(int status) {
        System.out.flush();
        System.err.flush();
        // nothing of ours is left to finish: skip the shutdown sequence and its hooks
        java.lang.Runtime.getRuntime().halt(status);
    }

    /**
     * Removes the class-data archive the launcher named ({@code ctrnet.cds}) when the JVM refused it, so that the
     * launcher makes another. A static archive made by another JDK (Debian updates its JDK in place) or for a tree
     * since moved is refused as a whole, and the JVM then shares no class at all, not even the JDK's own, until
     * the next build, and every command starts slower.
     */
    private static void dropRefusedArchive() {
        String archive = System.getProperty("ctrnet.cds");
        if (archive != null && !System.getProperty("java.vm.info", "").contains("sharing")) {
            try {
                Files.deleteIfExists(Path.of(archive));
            } catch (IOException e) {
                // a tree the user cannot write: the archive stays refused, and commands merely start slower
            }
        }
    }

    /** Runs {@code args} through the service and returns the status, as the class-data training does. */
    static int viaService(String[] args) {
        return viaService(args, Globals.of(args));
    }

    /** Runs {@code args} through the service; throws {@link InProcess} when the service declines. */
    private static int viaService(String[] args, Globals globals) {
        // an empty --root is the command's error to report, in-process, with no service started for it
        Optional<Path> root = globals.root();
        if (root.isEmpty()) {
            throw new InProcess();
        }
        long pid = ownPid();
        byte[] request = request(args, pid);
        ServiceLine line = ServiceLine.claim(root.get(), pid).orElse(null);
        if (line == null) {
            if (globals.command().equals("service")) {
                return ServiceCommand.notRunning(args);
            }
            if (globals.isDryRun()) {
                throw new InProcess(); // a dry run changes nothing: no service is started for one
            }
            line = start(root.get(), pid).orElse(null);
            if (line == null) {
                throw new InProcess();
            }
        }
        try {
            return converse(line, Optional.of(request));
        } catch (IOException e) {
            throw new InProcess();
        } catch (InProcess declined) {
            if (globals.command().equals("service")) {
                return ServiceCommand.notRunningForThisClient(args);
            }
            throw declined;
        }
    }

    static int converse(ServiceLine line, Optional<byte[]> request) throws IOException {
        DataOutputStream out = line.request;
        DataInputStream in = line.reply;
        if (request.isPresent()) {
            ServiceProtocol.write(out, ServiceProtocol.REQUEST, request.get());
        }
        Relay relay = new Relay(out);
        Thread hook = new Thread(relay, "ctrnet-signal");
        java.lang.Runtime.getRuntime().addShutdownHook(hook);
        boolean sawOutput = false;
        while (true) {
            Optional<ServiceProtocol.Frame> next = ServiceProtocol.read(in);
            if (next.isEmpty()) {
                // the service went away mid-command (killed): say so, as a failed command would
                System.err.println("ctrnet: the ctrnet service ended before the command finished;"
                        + " 'ctrnet system prune' reclaims anything it left half done");
                return relay.exit(Main.FAILED);
            }
            ServiceProtocol.Frame frame = next.get();
            switch (frame.type()) {
                case ServiceProtocol.STDOUT -> {
                    System.out.write(frame.payload());
                    sawOutput = true;
                }
                case ServiceProtocol.STDERR -> {
                    System.out.flush();
                    System.err.write(frame.payload());
                    System.err.flush();
                    sawOutput = true;
                }
                case ServiceProtocol.EXIT -> {
                    return relay.exit(frame.asInt());
                }
                case ServiceProtocol.IN_PROCESS -> {
                    if (sawOutput) {
                        throw new IOException("the service declined after it had printed");
                    }
                    java.lang.Runtime.getRuntime().removeShutdownHook(hook);
                    throw new InProcess();
                }
                default -> throw new IOException("unknown frame " + frame.type());
            }
        }
    }

    /**
     * Hands Ctrl-C and SIGTERM to the service (which stops a foreground container as the in-process
     * command would), then ends this process with the status the service sends back.
     */
    private static final class Relay implements Runnable {
        private final DataOutputStream out;
        private final CountDownLatch finished = new CountDownLatch(1);
        private volatile int status = Main.FAILED;
        private volatile boolean exiting;

        Relay(DataOutputStream out) {
            this.out = out;
        }

        int exit(int value) {
            status = value;
            exiting = true;
            finished.countDown();
            return value;
        }

        @Override
        public void run() {
            if (exiting) {
                return;
            }
            try {
                ServiceProtocol.writeInt(out, ServiceProtocol.SIGNAL, 2);
                finished.await(SIGNAL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (IOException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.out.flush();
            System.err.flush();
            java.lang.Runtime.getRuntime().halt(status);
        }
    }

    private static byte[] request(String[] args, long pid) {
        return new ServiceProtocol.Request(ServiceProtocol.VERSION, List.of(args), pid, ServiceEndpoint.identity()).encode();
    }

    /** This process's PID, read where ProcessHandle would, without starting ProcessHandle's machinery. */
    private static long ownPid() {
        try {
            return Long.parseLong(Files.readSymbolicLink(Path.of("/proc/self")).toString());
        } catch (IOException | NumberFormatException e) {
            return ProcessHandle.current().pid();
        }
    }

    /**
     * Starts the service under the root's service lock, so that clients racing to start one start exactly
     * one: whoever gets the lock second finds it serving. Waits until it serves.
     */
    private static Optional<ServiceLine> start(Path root, long pid) {
        Path dir = ServiceEndpoint.folder(root);
        try {
            Service.prepareFolder(dir);
            try (FileChannel lockFile = FileChannel.open(dir.resolve("service.lock"),
                    Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), rootOnly());
                    FileLock lock = lockFile.lock()) {
                Optional<ServiceLine> running = ServiceLine.claim(root, pid);
                if (running.isPresent()) {
                    return running;
                }
                spawn(dir, root);
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
                while (System.nanoTime() < deadline) {
                    Optional<ServiceLine> line = ServiceLine.claim(root, pid);
                    if (line.isPresent()) {
                        return line;
                    }
                    // a look costs a readlink: looking often keeps the wait from outlasting the start
                    Thread.sleep(START_POLL_MS);
                }
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Starts {@code java … Client service serve} detached in a session of its own ({@code setsid -f}
     * forks, so the service is never our child and our exit waits for nothing), with its output in the
     * service folder's log.
     *
     * <p>The service compiles with C1 alone, early: a command's code runs a few times per command, so the
     * default thresholds left it interpreted, or compiled with profiling for a C2 that came too late to
     * matter. A hundredth of them (a method's 2nd call) shortens a new service's first dozens of commands
     * (measured round robin, services side by side, time the client waited for the service: at the 4th to
     * 10th command, {@code run --rm} 23 ms instead of 35 with a tenth; at the 11th to 20th, {@code run -d
     * -p} 18 instead of 25); lower still, nearly every method is queued at its first call, and the first
     * command after a start took 2-3 times as long.
     */
    private static void spawn(Path dir, Path root) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        List<String> cmd = new ArrayList<>(List.of("setsid", "-f", java, "-XX:+UseSerialGC", "-XX:-UsePerfData"));
        cmd.addAll(SERVICE_COMPILER);
        cmd.addAll(List.of("-Xshare:auto", "-Xlog:disable", "-Xlog:all=off"));
        Optional.ofNullable(System.getProperty("ctrnet.service.cds")).map(Path::of).flatMap(Client::classDataOption)
                .ifPresent(cmd::add);
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("jna.") || k.equals("ctrnet.launcher"))
                .sorted()
                .forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Client.class.getName(),
                "--root", root.toString(), "service", "serve"));
        Path logFile = dir.resolve("service.log");
        if (!Files.exists(logFile)) {
            Files.createFile(logFile, rootOnly());
        }
        File log = logFile.toFile();
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                .redirectErrorStream(true);
        pb.environment().remove("CTRNET_NO_DAEMON");
        pb.environment().remove("CTRNET_CRASH_AT");
        pb.environment().remove("CTRNET_CRASH_AFTER_CHANGE");
        Process setsid = pb.start();
        setsid.waitFor();
    }

    /** The service's lock and log, like every file under the state root, are root's alone. */
    private static FileAttribute<Set<PosixFilePermission>> rootOnly() {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    }

    /**
     * The service maps the class-data archive a predecessor wrote when it exited; with none yet, the one
     * service that claims the right to (a {@code .writer} file made exclusively) writes it when it exits,
     * so services of several state roots never write one file at once.
     */
    private static Optional<String> classDataOption(Path archive) {
        if (Files.isRegularFile(archive)) {
            return Optional.of("-XX:SharedArchiveFile=" + archive);
        }
        try {
            Files.createFile(archive.resolveSibling(archive.getFileName() + ".writer"));
            return Optional.of("-XX:ArchiveClassesAtExit=" + archive);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The first word after the global options: the command's name, when there is one. */
    static Optional<String> firstWord(String[] args) {
        String command = Globals.of(args).command();
        return command.isEmpty() ? Optional.empty() : Optional.of(command);
    }

    /**
     * The global options before the command, read in one pass: flags, options with their values
     * ({@code --root DIR} or {@code --root=DIR}), and the command with its arguments.
     */
    private record Globals(Set<String> flags, Map<String, String> values, List<String> rest) {
        static Globals of(String[] args) {
            Set<String> flags = new HashSet<>();
            Map<String, String> values = new HashMap<>();
            int i = 0;
            while (i < args.length && args[i].startsWith("-") && !args[i].equals("--")) {
                String arg = args[i];
                int eq = arg.indexOf('=');
                if (eq > 0 && WITH_VALUE.contains(arg.substring(0, eq))) {
                    values.put(arg.substring(0, eq), arg.substring(eq + 1));
                    i++;
                } else if (WITH_VALUE.contains(arg)) {
                    if (i + 1 < args.length) {
                        values.put(arg, args[i + 1]);
                    }
                    i += 2;
                } else {
                    flags.add(arg);
                    i++;
                }
            }
            return new Globals(flags, values, i >= args.length ? List.of() : List.of(args).subList(i, args.length));
        }

        /** The command's name, or "" when there is none. */
        String command() {
            return rest.isEmpty() ? "" : rest.get(0);
        }

        /**
         * Whether the command runs in this process rather than through the service: when asked to, and
         * under fault injection, which kills the process that runs the command.
         */
        boolean inProcess() {
            String noDaemon = System.getenv("CTRNET_NO_DAEMON");
            return flags.contains("--no-daemon") || "1".equals(noDaemon) || "true".equals(noDaemon)
                    || isSet("CTRNET_CRASH_AT") || isSet("CTRNET_CRASH_AFTER_CHANGE");
        }

        private static boolean isSet(String variable) {
            String value = System.getenv(variable);
            return value != null && !value.isEmpty();
        }

        /** Whether the command line asks for the version and nothing else (global options aside). */
        boolean isVersion() {
            return rest.isEmpty() && flags.size() == 1 && (flags.contains("--version") || flags.contains("-V"));
        }

        /** Whether the command is asked for {@code --dry-run} (before a {@code --} that starts a container's command). */
        boolean isDryRun() {
            for (String arg : rest) {
                if (arg.equals("--")) {
                    return false;
                }
                if (arg.equals("--dry-run")) {
                    return true;
                }
            }
            return false;
        }

        boolean isServe() {
            return rest.size() >= 2 && rest.get(0).equals("service") && rest.get(1).equals("serve");
        }

        /**
         * The state root the command names: {@code --root}, else {@code CTRNET_ROOT}, else the default;
         * empty when {@code --root} names nothing.
         */
        Optional<Path> root() {
            String root = values.get("--root");
            if (root == null) {
                String env = System.getenv("CTRNET_ROOT");
                root = env == null || env.isEmpty() ? RuntimeConfig.DEFAULT_ROOT.toString() : env;
            }
            return root.isEmpty() ? Optional.empty() : Optional.of(Path.of(root).toAbsolutePath().normalize());
        }
    }

    /** The service declined the command, or could not be reached or started: run it here. */
    private static final class InProcess extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InProcess() {
            super(null, null, false, false);
        }
    }
}
