package dev.ctrnet.core.state;

import dev.ctrnet.core.CtrnetException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The state root's lock: one ctrnet operation at a time changes state. An advisory {@code flock} on
 * {@code ROOT/lock} serializes separate processes (and is released if one dies); a lock per root in
 * this JVM serializes the threads of an embedding program, which {@code flock} alone would not.
 */
public final class StateLock implements AutoCloseable {
    private static final Map<Path, ReentrantLock> IN_THIS_JVM = new ConcurrentHashMap<>();

    private final ReentrantLock threads;
    private final FileChannel channel;
    private final FileLock lock;

    private StateLock(ReentrantLock threads, FileChannel channel, FileLock lock) {
        this.threads = threads;
        this.channel = channel;
        this.lock = lock;
    }

    /** Waits for and takes the lock of {@code root}. */
    public static StateLock acquire(Path root) {
        ReentrantLock threads = IN_THIS_JVM.computeIfAbsent(root.toAbsolutePath().normalize(), r -> new ReentrantLock());
        threads.lock();
        FileChannel channel = null;
        try {
            FileModes.createFolders(root);
            channel = FileChannel.open(root.resolve("lock"), Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    FileModes.privateFile());
            return new StateLock(threads, channel, channel.lock());
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            threads.unlock();
            throw new CtrnetException("cannot lock the state in " + root + ": " + e.getMessage()
                    + " (ctrnet must run as root)", e);
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
