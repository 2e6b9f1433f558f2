package dev.ctrnet.core.state;

import dev.ctrnet.core.CtrnetException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The state root's lock: one ctrnet operation at a time changes state. A POSIX record lock on
 * {@code ROOT/lock} serializes separate processes (and is released if one dies); a lock per root in
 * this JVM serializes the threads of an embedding program, which a process's record lock alone would not.
 *
 * <p>The wait is bounded ({@value #TIMEOUT_VARIABLE} seconds, {@link #DEFAULT_TIMEOUT} by default): a command
 * that finds the state locked for longer gives up with a sentence naming the holder rather than hanging, since an
 * operation holds the lock for milliseconds, and a step that hangs fails after the tool's timeout (30 s).
 */
public final class StateLock implements AutoCloseable {
    /** The environment variable that sets how long a command waits for the lock, in seconds. */
    public static final String TIMEOUT_VARIABLE = "CTRNET_LOCK_TIMEOUT";
    /** How long a command waits for the lock when {@value #TIMEOUT_VARIABLE} is not set. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private static final Map<Path, ReentrantLock> IN_THIS_JVM = new ConcurrentHashMap<>();
    /** How often a waiting process tries the record lock again: operations take milliseconds. */
    private static final long RETRY_MILLIS = 5;

    private final ReentrantLock threads;
    private final FileChannel channel;
    private final FileLock lock;

    private StateLock(ReentrantLock threads, FileChannel channel, FileLock lock) {
        this.threads = threads;
        this.channel = channel;
        this.lock = lock;
    }

    /** Waits for and takes the lock of {@code root}, for as long as the environment allows. */
    public static StateLock acquire(Path root) {
        return acquire(root, timeout(Optional.ofNullable(System.getenv(TIMEOUT_VARIABLE))));
    }

    /** Waits up to {@code timeout} for the lock of {@code root} and takes it. */
    public static StateLock acquire(Path root, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ReentrantLock threads = IN_THIS_JVM.computeIfAbsent(root.toAbsolutePath().normalize(), r -> new ReentrantLock());
        try {
            if (!threads.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new CtrnetException(lockedFor(root, timeout) + " by another command of this process (PID "
                        + ProcessHandle.current().pid() + "): wait for it to finish, or stop it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CtrnetException("interrupted while waiting for the state lock of " + root, e);
        }
        FileChannel channel = null;
        try {
            FileModes.createFolders(root);
            channel = FileChannel.open(root.resolve("lock"), Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    FileModes.privateFile());
            FileLock taken = channel.tryLock();
            while (taken == null) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new CtrnetException(lockedFor(root, timeout) + holder(root.resolve("lock"))
                            + ": wait for it to finish, or stop it");
                }
                Thread.sleep(RETRY_MILLIS);
                taken = channel.tryLock();
            }
            return new StateLock(threads, channel, taken);
        } catch (CtrnetException e) {
            closeQuietly(channel);
            threads.unlock();
            throw e;
        } catch (InterruptedException e) {
            closeQuietly(channel);
            threads.unlock();
            Thread.currentThread().interrupt();
            throw new CtrnetException("interrupted while waiting for the state lock of " + root, e);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            threads.unlock();
            throw new CtrnetException("cannot lock the state in " + root + ": " + e.getMessage()
                    + " (ctrnet must run as root)", e);
        }
    }

    /** The wait a value of {@value #TIMEOUT_VARIABLE} asks for; unset or empty is the default. */
    static Duration timeout(Optional<String> seconds) {
        if (seconds.isEmpty() || seconds.get().isBlank()) {
            return DEFAULT_TIMEOUT;
        }
        try {
            long value = Long.parseLong(seconds.get().strip());
            if (value > 0) {
                return Duration.ofSeconds(value);
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new CtrnetException(TIMEOUT_VARIABLE + " must be a whole number of seconds greater than 0, not '"
                + seconds.get() + "'");
    }

    private static String lockedFor(Path root, Duration timeout) {
        return "the state in " + root + " stayed locked for " + timeout.toSeconds() + " s";
    }

    /**
     * Who holds the record lock on {@code file}, as the kernel lists it in {@code /proc/locks}: " by process
     * PID (its command line)", or "" when it cannot be told.
     */
    static String holder(Path file) {
        try {
            Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            Optional<String> inode = Optional.ofNullable(key).map(Object::toString)
                    .map(k -> k.replaceAll(".*ino=(\\d+).*", "$1"));
            if (inode.isEmpty()) {
                return "";
            }
            for (String line : Files.readAllLines(Path.of("/proc/locks"))) {
                // 1: POSIX  ADVISORY  WRITE 4242 00:2a:1234 0 EOF
                List<String> words = List.of(line.trim().split("\\s+"));
                if (words.size() > 5 && !words.get(1).equals("->") && words.get(5).endsWith(":" + inode.get())) {
                    String pid = words.get(4);
                    return " by process " + pid + commandLine(pid).map(c -> " (" + c + ")").orElse("");
                }
            }
        } catch (IOException | RuntimeException e) {
            // the holder is a detail of the message, which says enough without it
        }
        return "";
    }

    /**
     * A process's command line; a JVM's ({@code java … -jar JAR ARGS}, or {@code java … -cp PATH MAIN ARGS} for the
     * service) as {@code ctrnet ARGS}, without the JVM's own options.
     */
    private static Optional<String> commandLine(String pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", pid, "cmdline"));
            List<String> args = List.of(new String(raw, StandardCharsets.UTF_8).split("\0"));
            int jar = args.indexOf("-jar");
            int classPath = args.indexOf("-cp");
            int start = jar >= 0 ? jar + 2 : classPath >= 0 ? classPath + 3 : 0;
            String line = start > 0 && start <= args.size() ? "ctrnet " + String.join(" ", args.subList(start, args.size()))
                    : String.join(" ", args);
            return line.isBlank() ? Optional.empty() : Optional.of(line.length() > 200 ? line.substring(0, 200) + "…" : line);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Whether the calling thread holds the lock of {@code root}. */
    static boolean heldByCurrentThread(Path root) {
        ReentrantLock threads = IN_THIS_JVM.get(root.toAbsolutePath().normalize());
        return threads != null && threads.isHeldByCurrentThread();
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new CtrnetException("cannot release the state lock: " + e.getMessage(), e);
        } finally {
            threads.unlock();
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // the failure being reported matters more
            }
        }
    }
}
