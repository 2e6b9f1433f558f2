package dev.ctrnet.core.kernel;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.api.kernel.Programs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ProcessProgramsTest {
    private final ProcessPrograms programs = ProcessPrograms.fromEnvironment();

    @TempDir
    Path dir;

    @Test
    void feedsInputAndCollectsBothOutputs() {
        Programs.Result result = programs.run(List.of("sh", "-c", "cat; echo oops >&2; exit 3"), "hello\n");
        assertEquals(new Programs.Result(3, "hello\n", "oops\n"), result);
    }

    @Test
    void largeOutputAndInputDoNotDeadlock() {
        String input = "x".repeat(2_000_000);
        Programs.Result result = programs.run(List.of("sh", "-c", "head -c 3000000 /dev/zero; head -c 3000000 /dev/zero >&2; wc -c"),
                input);
        assertTrue(result.ok());
        assertEquals(3_000_000 + "2000000\n".length(), result.stdout().length());
        assertEquals(3_000_000, result.stderr().length());
    }

    @Test
    void aMissingProgramIsNamedWithItsPackage() {
        KernelException nft = assertThrows(KernelException.class,
                () -> programs.run(List.of("/nonexistent/nft", "-f", "-"), ""));
        assertEquals(KernelException.ENOENT, nft.errno());
        assertEquals("cannot run nft: it is not installed (apt-get install nftables)", nft.getMessage());
        assertTrue(assertThrows(KernelException.class, () -> programs.run(List.of("ctrnet-no-such-tool"), ""))
                .getMessage().startsWith("cannot run ctrnet-no-such-tool"));
    }

    @Test
    void existsSearchesThePath() {
        assertTrue(programs.exists("sh"));
        assertFalse(programs.exists("ctrnet-no-such-tool"));
    }

    @Test
    void aProgramThatHangsIsKilledWithEveryProcessItStartedAndNamedInTheError() throws Exception {
        // like a firewall tool stuck on a lock: a shell that waits for a child that never ends
        Path nft = script("nft", "sleep 600 & echo $! > " + dir.resolve("child") + "; wait");
        ProcessPrograms quick = new ProcessPrograms(Duration.ofMillis(500));
        long started = System.nanoTime();
        KernelException e = assertThrows(KernelException.class, () -> quick.run(List.of(nft.toString(), "-f", "-"), "flush ruleset\n"));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertEquals("nft did not finish within 0.5 s and was stopped; if it needs longer on this host, set "
                + "CTRNET_TOOL_TIMEOUT (seconds)", e.getMessage());
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "it gave up after the timeout, not " + took);
        long child = Long.parseLong(Files.readString(dir.resolve("child")).trim());
        // SIGKILL is delivered at once; the orphan is reaped by init soon after, which is what this waits for
        ProcessHandle.of(child).ifPresent(p -> assertDoesNotThrow(() -> p.onExit().get(10, TimeUnit.SECONDS),
                "its child was killed too"));
    }

    /**
     * A tool that exits but leaves a process holding its output: the JDK closes our end when the tool
     * exits unless a reader is blocked on it at that moment, so either the call returns or it fails at
     * the deadline; it never waits for the process left behind.
     */
    @Test
    @Timeout(60)
    void aProcessLeftBehindHoldingTheOutputDoesNotHangTheCall() throws Exception {
        Path tool = script("tool", "sleep 600 & echo $! > " + dir.resolve("orphan") + "; exit 0");
        ProcessPrograms quick = new ProcessPrograms(Duration.ofMillis(500));
        long started = System.nanoTime();
        try {
            quick.run(List.of(tool.toString()), "");
        } catch (KernelException e) {
            assertTrue(e.getMessage().startsWith("tool did not finish within 0.5 s"), e.getMessage());
        } finally {
            long orphan = Long.parseLong(Files.readString(dir.resolve("orphan")).trim());
            ProcessHandle.of(orphan).ifPresent(ProcessHandle::destroyForcibly);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "it gave up after the timeout, not " + took);
    }

    @Test
    void theTimeoutComesFromTheEnvironmentInSeconds() {
        assertEquals(ProcessPrograms.DEFAULT_TIMEOUT, ProcessPrograms.timeout(Optional.empty()));
        assertEquals(ProcessPrograms.DEFAULT_TIMEOUT, ProcessPrograms.timeout(Optional.of("")));
        assertEquals(Duration.ofSeconds(2), ProcessPrograms.timeout(Optional.of("2")));
        assertEquals(Duration.ofMillis(500), ProcessPrograms.timeout(Optional.of("0.5")));
        for (String bad : List.of("0", "-1", "ten", "1e999999999", "0.0000000001")) {
            assertEquals("CTRNET_TOOL_TIMEOUT must be a number of seconds greater than 0, not '" + bad + "'",
                    assertThrows(IllegalArgumentException.class, () -> ProcessPrograms.timeout(Optional.of(bad))).getMessage());
        }
    }

    private Path script(String name, String body) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }
}
