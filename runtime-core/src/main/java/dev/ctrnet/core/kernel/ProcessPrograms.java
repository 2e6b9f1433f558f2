package dev.ctrnet.core.kernel;

import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.api.kernel.Nftables;
import dev.ctrnet.api.kernel.Programs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.function.Supplier;

/**
 * The one runner of outside programs ({@code nft}, {@code iptables-restore}, …), for the runtime and its
 * tests alike. Every call is bounded: a program that has not finished, output included, within the
 * timeout is killed with every process it started, and the call fails with a sentence naming it, so
 * no command ever hangs, least of all while it holds the state lock. Each call is logged at debug
 * level with its argv, exit status, duration and standard error. Input, output and error streams are
 * each served by their own thread, so a program that writes much before reading cannot deadlock
 * against us.
 */
public final class ProcessPrograms implements Programs {
    /** The environment variable that sets the timeout, in seconds. */
    public static final String TIMEOUT_VARIABLE = "CTRNET_TOOL_TIMEOUT";
    /** The environment variable that, set to {@code off}, keeps nftables' library out of use. */
    public static final String LIBRARY_VARIABLE = "CTRNET_LIBNFTABLES";
    /** How long a program may run when {@link #TIMEOUT_VARIABLE} is not set. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(ProcessPrograms.class);
    /** How long a killed program is given to be reaped: SIGKILL cannot be caught, so this is never reached in practice. */
    private static final Duration REAP = Duration.ofSeconds(5);
    /** Which Debian package provides a program, for the "not installed" sentence. */
    private static final Map<String, String> PACKAGES = Map.of(
            "nft", "nftables",
            "iptables", "iptables",
            "iptables-restore", "iptables",
            "iptables-save", "iptables",
            "ip", "iproute2",
            "nsenter", "util-linux",
            "unshare", "util-linux",
            "dnsmasq", "dnsmasq-base");

    private final Duration timeout;
    private final Supplier<Optional<Nftables>> nftables;

    /** A runner that gives every program {@code timeout}; {@link #nftables()} is empty. */
    public ProcessPrograms(Duration timeout) {
        this(timeout, Optional::empty);
    }

    /**
     * A runner that gives every program {@code timeout}.
     *
     * @param nftables nftables' library, asked for only when a backend wants it
     */
    public ProcessPrograms(Duration timeout, Supplier<Optional<Nftables>> nftables) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a program's timeout must be positive, not " + timeout);
        }
        this.timeout = timeout;
        this.nftables = nftables;
    }

    /**
     * The runner configured by the environment: {@value #TIMEOUT_VARIABLE} seconds (a decimal number
     * greater than 0) when set, otherwise {@link #DEFAULT_TIMEOUT}.
     *
     * @throws IllegalArgumentException when the variable holds anything else
     */
    public static ProcessPrograms fromEnvironment() {
        return fromEnvironment(Optional::empty);
    }

    /**
     * The runner configured by the environment, offering backends nftables' library from {@code nftables}
     * unless {@value #LIBRARY_VARIABLE} is {@code off}: then the {@code nft} program runs, as on a host
     * without the library (for an operator who distrusts the library, and for tests of the program path).
     */
    public static ProcessPrograms fromEnvironment(Supplier<Optional<Nftables>> nftables) {
        boolean libraryOff = "off".equals(System.getenv(LIBRARY_VARIABLE));
        return new ProcessPrograms(timeout(Optional.ofNullable(System.getenv(TIMEOUT_VARIABLE))),
                libraryOff ? Optional::empty : nftables);
    }

    /** The timeout a value of {@value #TIMEOUT_VARIABLE} asks for; empty or unset is the default. */
    static Duration timeout(Optional<String> seconds) {
        if (seconds.isEmpty() || seconds.get().isBlank()) {
            return DEFAULT_TIMEOUT;
        }
        try {
            BigDecimal value = new BigDecimal(seconds.get().strip());
            if (value.signum() > 0) {
                Duration d = Duration.ofNanos(value.movePointRight(9).longValueExact());
                if (!d.isZero()) {
                    return d;
                }
            }
        } catch (ArithmeticException | NumberFormatException e) {
            // reported below with the value
        }
        throw new IllegalArgumentException(TIMEOUT_VARIABLE + " must be a number of seconds greater than 0, not '"
                + seconds.get() + "'");
    }

    /** How long each program may run. */
    public Duration timeout() {
        return timeout;
    }

    @Override
    public Optional<Nftables> nftables() {
        return nftables.get();
    }

    @Override
    public Result run(List<String> command, String input) {
        return run(command, input, Map.of());
    }

    /**
     * {@link #run(List, String)} with {@code environment} added to this process's environment (for
     * tests that run a program as a user would, with a variable of their own).
     */
    public Result run(List<String> command, String input, Map<String, String> environment) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no program to run");
        }
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        Process process = start(command, environment);
        CompletableFuture<String> stdout = readAll(process.getInputStream());
        CompletableFuture<String> stderr = readAll(process.getErrorStream());
        CompletableFuture<Void> stdin = CompletableFuture.runAsync(() -> writeAll(process.getOutputStream(), input),
                ProcessPrograms::newThread);
        try {
            // the output too: a process the program left behind can hold its pipes open
            if (!process.waitFor(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                throw timedOut(command, process, started);
            }
            Result result = new Result(process.exitValue(), await(stdout, deadline), await(stderr, deadline));
            stdin.exceptionally(e -> null).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            LOG.debug("{} exited {} in {} ms{}", command, result.exitCode(), millis(System.nanoTime() - started),
                    result.stderr().isBlank() ? "" : ", stderr: " + result.stderr().strip());
            return result;
        } catch (TimeoutException e) {
            throw timedOut(command, process, started);
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            throw new KernelException(0, name(command) + " was interrupted", e);
        } catch (ExecutionException e) {
            throw new KernelException(0, "cannot read the output of " + name(command) + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public boolean exists(String program) {
        return locate(program).isPresent();
    }

    /** Where {@code program} is found on the search path (or itself, when it is a path). */
    public static Optional<Path> locate(String program) {
        if (program.contains("/")) {
            return Optional.of(Path.of(program)).filter(Files::isExecutable);
        }
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/sbin:/usr/bin:/sbin:/bin");
        return Arrays.stream(path.split(":"))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, program))
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
                .findFirst();
    }

    private KernelException timedOut(List<String> command, Process process, long started) {
        killTree(process);
        LOG.debug("{} killed after {} ms: it did not finish within {}", command, millis(System.nanoTime() - started),
                seconds(timeout));
        return new KernelException(0, name(command) + " did not finish within " + seconds(timeout)
                + " and was stopped; if it needs longer on this host, set " + TIMEOUT_VARIABLE + " (seconds)");
    }

    /** Kills the program and every process it started (see {@link #killTree(ProcessHandle)}), and reaps it. */
    private static void killTree(Process process) {
        killTree(process.toHandle());
        try {
            process.waitFor(REAP.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Kills {@code root} and every process it started, each before looking for its children again:
     * once a parent is gone, its children are handed to init and can no longer be found from here.
     */
    public static void killTree(ProcessHandle root) {
        Deque<ProcessHandle> pending = new ArrayDeque<>(List.of(root));
        while (!pending.isEmpty()) {
            ProcessHandle p = pending.pop();
            List<ProcessHandle> children = p.children().toList();
            p.destroyForcibly();
            pending.addAll(children);
            // a child forked between the look and the kill is found by a second look at the dying parent
            p.children().filter(c -> !children.contains(c)).forEach(pending::add);
        }
    }

    private static String await(CompletableFuture<String> output, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        return output.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private static Process start(List<String> command, Map<String, String> environment) {
        String program = command.get(0);
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(environment);
            return builder.start();
        } catch (IOException e) {
            String name = name(command);
            String sentence = Optional.ofNullable(PACKAGES.get(name))
                    .map(pkg -> "cannot run " + name + ": it is not installed (apt-get install " + pkg + ")")
                    .orElse("cannot run " + program + ": it is not installed or not executable");
            throw new KernelException(KernelException.ENOENT, sentence, e);
        }
    }

    /** The program's name without its folder, as a person calls it. */
    private static String name(List<String> command) {
        return Optional.ofNullable(Path.of(command.get(0)).getFileName()).map(Path::toString).orElse(command.get(0));
    }

    /** {@code 30 s}, {@code 0.5 s}. */
    private static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString() + " s";
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static CompletableFuture<String> readAll(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, ProcessPrograms::newThread);
    }

    /** Writes the input; a program that exits without reading it all closes the pipe, which is fine. */
    private static void writeAll(OutputStream stream, String input) {
        try (stream) {
            stream.write(input.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void newThread(Runnable task) {
        Thread thread = new Thread(task, "ctrnet-program-io");
        thread.setDaemon(true);
        thread.start();
    }
}
