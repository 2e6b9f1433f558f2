package dev.ctrnet.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.core.CtrnetException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state lock's wait is bounded: past it, one sentence says who holds the lock. */
class StateLockTest {
    @TempDir
    Path root;

    @Test
    void aCommandWaitingTooLongForAnotherOfThisProcessIsToldSo() throws Exception {
        try (StateLock held = StateLock.acquire(root, Duration.ofSeconds(5))) {
            long started = System.nanoTime();
            CompletionException thrown = assertThrows(CompletionException.class, () -> CompletableFuture
                    .supplyAsync(() -> StateLock.acquire(root, Duration.ofSeconds(1))).join(), "it gave up");
            CtrnetException e = assertInstanceOf(CtrnetException.class, thrown.getCause());
            assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(20)) < 0);
            assertEquals("the state in " + root + " stayed locked for 1 s by another command of this process (PID "
                    + ProcessHandle.current().pid() + "): wait for it to finish, or stop it", e.getMessage());
        }
        StateLock.acquire(root, Duration.ofSeconds(1)).close();
    }

    @Test
    void theWaitIsSetInWholeSeconds() {
        assertEquals(StateLock.DEFAULT_TIMEOUT, StateLock.timeout(Optional.empty()));
        assertEquals(StateLock.DEFAULT_TIMEOUT, StateLock.timeout(Optional.of(" ")));
        assertEquals(Duration.ofSeconds(3), StateLock.timeout(Optional.of("3")));
        for (String bad : new String[] {"0", "-1", "1.5", "soon"}) {
            CtrnetException e = assertThrows(CtrnetException.class, () -> StateLock.timeout(Optional.of(bad)));
            assertEquals("CTRNET_LOCK_TIMEOUT must be a whole number of seconds greater than 0, not '" + bad + "'",
                    e.getMessage());
        }
    }
}
