package dev.ctrnet.core.container;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Waiting for a process that is not our child, as rm -f waits for a container's first process. */
class ProcessTableTest {
    @Test
    void theEndOfAProcessThatIsNotOurChildIsSeenAndATimeoutIsKept() throws IOException, InterruptedException {
        // sh starts sleep in the background and ends: sleep is its child, not ours
        Process sh = new ProcessBuilder("sh", "-c", "sleep 600 >/dev/null 2>&1 & echo $!").start();
        long pid = Long.parseLong(new String(sh.getInputStream().readAllBytes()).strip());
        sh.waitFor();
        ProcessHandle sleeper = ProcessHandle.of(pid).orElseThrow();
        long started = ProcessTable.startTime(pid).orElseThrow();

        assertFalse(ProcessTable.awaitEnd(sleeper, started, Duration.ofMillis(50)), "it still runs after the timeout");
        sleeper.destroyForcibly();
        assertTrue(ProcessTable.awaitEnd(sleeper, started, Duration.ofSeconds(30)), "its end is seen");
        assertFalse(ProcessTable.isAlive(pid, started));
    }
}
