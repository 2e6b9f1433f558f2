package dev.ctrnet.core.container;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** What {@code /proc} says about processes: start times, children, namespaces. */
public final class ProcessTable {
    private ProcessTable() {}

    /**
     * The start time of {@code pid} in clock ticks since boot (field 22 of {@code /proc/PID/stat}),
     * or empty when there is no such process. A PID that is reused has another start time.
     */
    public static OptionalLong startTime(long pid) {
        try {
            String stat = procFile(pid, "stat");
            // the command name (field 2) may hold spaces and parentheses: count fields after the last ')'
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            if (rest[0].equals("Z")) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(Long.parseLong(rest[19]));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * A file of {@code /proc/PID} as text, read with {@code java.io}: the thin client reads its service's start
     * time, and {@code Files.readString}'s first use there costs it milliseconds (NIO's channel classes and
     * native libraries).
     */
    private static String procFile(long pid, String name) throws IOException {
        try (FileInputStream in = new FileInputStream("/proc/" + pid + "/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Whether {@code pid} is the process that started at {@code startTime} and is still alive. */
    public static boolean isAlive(long pid, long startTime) {
        return pid > 0 && startTime(pid).equals(OptionalLong.of(startTime));
    }

    /**
     * Waits up to {@code timeout} for {@code process}, started at {@code startTime} (0 when unknown), to
     * end; a zombie has ended. The JDK's {@code onExit()} checks a process that is not our child only
     * every 300 ms and more, which {@code rm -f} would pay; this looks within a fraction of a millisecond
     * at first, then backs off to 10 ms.
     */
    public static boolean awaitEnd(ProcessHandle process, long startTime, java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseNanos = 100_000;
        while (startTime > 0 ? isAlive(process.pid(), startTime) : process.isAlive()) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(pauseNanos / 1_000_000, (int) (pauseNanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            pauseNanos = Math.min(pauseNanos * 2, 10_000_000);
        }
        return true;
    }

    /**
     * The first descendant of {@code ancestor} that lives in another PID namespace than ctrnet: the
     * container's first process. Waits up to {@code timeoutMillis} for it to appear.
     */
    public static Optional<Long> containerInit(long ancestor, long timeoutMillis) {
        String ours = namespace(ProcessHandle.current().pid(), "pid").orElse("");
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        do {
            Deque<Long> queue = new ArrayDeque<>();
            queue.add(ancestor);
            while (!queue.isEmpty()) {
                long pid = queue.poll();
                Optional<String> ns = namespace(pid, "pid");
                if (ns.isPresent() && !ns.get().equals(ours)) {
                    return Optional.of(pid);
                }
                children(pid, queue);
            }
            // by its start time: an ancestor that is no child of ours may stay a zombie for a while
            if (startTime(ancestor).isPresent()) {
                sleepBriefly();
            } else {
                return Optional.empty();
            }
        } while (System.nanoTime() < deadline);
        return Optional.empty();
    }

    /**
     * Waits until {@code pid}'s arguments are no longer a launcher's (it has exec'd its command) or it
     * has ended, for up to {@code timeoutMillis}; returns whether it still runs.
     */
    public static boolean awaitExec(long pid, Predicate<List<String>> isLauncher, long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (System.nanoTime() < deadline) {
            Optional<List<String>> argv = arguments(pid);
            if (argv.isEmpty()) {
                if (startTime(pid).isEmpty()) {
                    return false; // gone, or a zombie
                }
                sleepBriefly(); // an empty read in the middle of exec
                continue;
            }
            // a process caught in the middle of exec can show a torn command line ("e" for "env"):
            // only a reading that the next one confirms counts
            sleepBriefly();
            if (!isLauncher.test(argv.get()) && argv.equals(arguments(pid))) {
                return true;
            }
        }
        return arguments(pid).isPresent();
    }

    /**
     * The environment a process was started with ({@code /proc/PID/environ}), empty when it has ended. An entry
     * without {@code =} is left out, and of a name given twice the last counts, as in the JDK's {@code System.getenv()}.
     */
    public static Optional<Map<String, String>> environment(long pid) {
        try {
            Map<String, String> environment = new LinkedHashMap<>();
            for (String entry : procFile(pid, "environ").split("\0")) {
                int eq = entry.indexOf('=');
                if (eq > 0) {
                    environment.put(entry.substring(0, eq), entry.substring(eq + 1));
                }
            }
            return Optional.of(environment);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A process's working folder ({@code /proc/PID/cwd}), empty when it has ended. */
    public static Optional<Path> workingDirectory(long pid) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc/" + pid + "/cwd")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A process's arguments ({@code /proc/PID/cmdline}), empty when it has ended. */
    public static Optional<List<String>> arguments(long pid) {
        try {
            String raw = procFile(pid, "cmdline");
            return raw.isEmpty() ? Optional.empty() : Optional.of(List.of(raw.split("\0")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Whether the two processes share a network namespace. */
    public static boolean sameNetworkNamespace(long a, long b) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/" + a + "/ns/net"))
                    .equals(Files.readSymbolicLink(Path.of("/proc/" + b + "/ns/net")));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The processes whose namespace of {@code kind} ({@code uts}, {@code net}, …) is the one the file
     * {@code namespace} keeps, a bind mount of a {@code /proc/PID/ns} file; none when it keeps none.
     */
    public static List<Long> inNamespace(Path namespace, String kind) {
        String wanted;
        try {
            wanted = kind + ":[" + Files.getAttribute(namespace, "unix:ino") + "]";
        } catch (IOException | UnsupportedOperationException e) {
            return List.of();
        }
        try (Stream<Path> all = Files.list(Path.of("/proc"))) {
            return all.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong).filter(pid -> namespace(pid, kind).equals(Optional.of(wanted))).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void children(long pid, Deque<Long> into) {
        try {
            String list = procFile(pid, "task/" + pid + "/children").trim();
            if (!list.isEmpty()) {
                for (String c : list.split(" ")) {
                    into.add(Long.parseLong(c));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the process is gone: it has no children
        }
    }

    /** The namespace of {@code kind} that {@code pid} is in ({@code pid:[4026531836]}); empty when it has ended. */
    private static Optional<String> namespace(long pid, String kind) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/" + kind)).toString());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A fifth of a millisecond: the pause between two looks at a process that is about to change. */
    static void sleepBriefly() {
        try {
            Thread.sleep(0, 200_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
