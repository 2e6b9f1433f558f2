package dev.ctrnet.core.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Waiting for a process that is not our child, as rm -f waits for a container's first process; and the
 * environment and working folder of another process, as the service reads its client's.
 */
class ProcessTableTest {
    @Test
    void anotherProcesssEnvironmentAndWorkingFolderAreReadAsItWasStarted() throws IOException, InterruptedException {
        Path folder = Files.createTempDirectory("ctrnet-cwd");
        ProcessBuilder pb = new ProcessBuilder("sleep", "600").directory(folder.toFile());
        pb.environment().clear();
        pb.environment().put("CTRNET_ROOT", "/var/lib/x y");
        pb.environment().put("EMPTY", "");
        pb.environment().put("WITH_EQUALS", "a=b=c");
        Process sleeper = pb.start();
        try {
            assertEquals(Optional.of(Map.of("CTRNET_ROOT", "/var/lib/x y", "EMPTY", "", "WITH_EQUALS", "a=b=c")),
                    ProcessTable.environment(sleeper.pid()));
            assertEquals(Optional.of(folder.toRealPath()), ProcessTable.workingDirectory(sleeper.pid()));
        } finally {
            sleeper.destroyForcibly().waitFor();
        }
        assertEquals(Optional.empty(), ProcessTable.environment(sleeper.pid()));
        assertEquals(Optional.empty(), ProcessTable.workingDirectory(sleeper.pid()));
        Files.delete(folder);
    }

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
