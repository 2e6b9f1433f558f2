package dev.ctrnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.core.container.ProcessTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client's claim of a line: a line whose service no longer holds the answering end answers empty, at once. */
class ServiceLineTest {
    @TempDir
    Path root;

    @Test
    void aLineWhoseServiceHasLetGoOfItAnswersNothingInsteadOfMakingTheClientWait() throws Exception {
        // a "service" that is alive (its folder's name names a live process) but holds none of its pipes, as one
        // that died a moment after the client checked it: the client's open of the answering pipe must not wait
        Process alive = new ProcessBuilder("sleep", "600").start();
        try {
            String name = ServiceEndpoint.instanceName(alive.pid(), ProcessTable.startTime(alive.pid()).orElseThrow());
            Path folder = ServiceEndpoint.folder(root.toAbsolutePath());
            Path instance = Files.createDirectories(folder.resolve(name));
            Files.createDirectories(instance.resolve(ServiceLine.READY));
            Files.createDirectories(instance.resolve(ServiceLine.CLAIMED));
            mkfifo(ServiceLine.requestPipe(instance, "1"));
            mkfifo(ServiceLine.replyPipe(instance, "1"));
            Files.createFile(instance.resolve(ServiceLine.READY).resolve("1"));
            Files.createSymbolicLink(folder.resolve("current"), Path.of(name));

            long pid = ProcessHandle.current().pid();
            Optional<ServiceProtocol.Frame> answer = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                ServiceLine line = ServiceLine.claim(root.toAbsolutePath(), pid).orElseThrow();
                return ServiceProtocol.read(line.reply);
            });
            assertEquals(Optional.empty(), answer, "the answer ends at once");
            assertTrue(Files.exists(instance.resolve(ServiceLine.CLAIMED).resolve("1." + pid)), "the line was claimed");
        } finally {
            alive.destroyForcibly().waitFor();
        }
    }

    private static void mkfifo(Path path) throws IOException, InterruptedException {
        assertEquals(0, new ProcessBuilder("mkfifo", "-m", "600", path.toString()).inheritIO().start().waitFor());
    }
}
