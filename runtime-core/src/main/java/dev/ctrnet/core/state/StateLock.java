package dev.ctrnet.core.state;

import dev.ctrnet.core.CtrnetException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The state root's lock: one ctrnet process at a time changes state (an advisory {@code flock} on
 * {@code ROOT/lock}, so it also serializes separate CLI processes and is released if one dies).
 */
public final class StateLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private StateLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Waits for and takes the lock of {@code root}. */
    public static StateLock acquire(Path root) {
        try {
            Files.createDirectories(root);
            FileChannel channel = FileChannel.open(root.resolve("lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            return new StateLock(channel, channel.lock());
        } catch (IOException e) {
            throw new CtrnetException("cannot lock the state in " + root + ": " + e.getMessage()
                    + " (ctrnet must run as root)", e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new CtrnetException("cannot release the state lock: " + e.getMessage(), e);
        }
    }
}
