package dev.ctrnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.core.container.ProcessTable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client's claim of a line, and a request bin/ctrnet sent: a line whose service no longer holds the answering end
 * answers empty, at once; a request is sent again only when no service read it.
 */
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
            assertEquals(Long.toString(pid), Files.readString(instance.resolve(ServiceLine.CLAIMED).resolve("1")),
                    "the line was claimed, by this process");
        } finally {
            alive.destroyForcibly().waitFor();
        }
    }

    @Test
    void aLineClaimedOnceCannotBeClaimedAgain() throws Exception {
        Path instance = Files.createDirectories(root.resolve("instance.1.1"));
        Files.createDirectories(instance.resolve(ServiceLine.CLAIMED));
        Files.createDirectories(instance.resolve(ServiceLine.READY));
        Files.createFile(instance.resolve(ServiceLine.READY).resolve("7"));
        assertTrue(ServiceLine.claim(instance, "7", 100));
        assertFalse(ServiceLine.claim(instance, "7", 200), "a second client, or the service taking the line back");
        assertEquals("100", Files.readString(instance.resolve(ServiceLine.CLAIMED).resolve("7")));
        // a line served and gone (its token went first, then its claim): a client that listed it before gets nothing
        assertFalse(ServiceLine.claim(instance, "8", 300), "a line no longer ready");
        assertFalse(Files.exists(instance.resolve(ServiceLine.CLAIMED).resolve("8")), "its claim was dropped");
    }

    @Test
    void aRequestTheLauncherSentToAServiceThatEndedWithoutReadingItIsSentAgainAndOneItReadIsNot() throws Exception {
        // a service that has ended: its folder names a process that no longer runs
        Process gone = new ProcessBuilder("true").start();
        assertEquals(0, gone.waitFor());
        Path instance = Files.createDirectories(root.resolve(ServiceEndpoint.instanceName(gone.pid(), 1)));
        mkfifo(ServiceLine.requestPipe(instance, "1"));
        mkfifo(ServiceLine.replyPipe(instance, "1"));
        // what the JVM finds as /proc/self/fd/N: a link to the request pipe, which it holds open
        Path sent = Files.createSymbolicLink(root.resolve("sent"), ServiceLine.requestPipe(instance, "1"));
        try (RandomAccessFile held = new RandomAccessFile(sent.toFile(), "rw")) {
            held.write(new byte[] {ServiceProtocol.REQUEST, 0, 0, 0, 0});
            Optional<ServiceLine> unread = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> ServiceLine.sent(sent));
            assertEquals(Optional.empty(), unread, "no part of the command ran: the client sends it again");

            held.readFully(new byte[5]);
            Optional<ServiceProtocol.Frame> answer = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> ServiceProtocol.read(ServiceLine.sent(sent).orElseThrow().reply));
            assertEquals(Optional.empty(), answer, "read, and then the service ended: the answer ends at once");
        }
    }

    @Test
    void theJvmOfARequestTheLauncherSentTellsTheServiceItHoldsTheAnswer() throws Exception {
        Process alive = new ProcessBuilder("sleep", "600").start();
        try {
            Path instance = Files.createDirectories(root.resolve(
                    ServiceEndpoint.instanceName(alive.pid(), ProcessTable.startTime(alive.pid()).orElseThrow())));
            mkfifo(ServiceLine.requestPipe(instance, "1"));
            mkfifo(ServiceLine.replyPipe(instance, "1"));
            Path sent = Files.createSymbolicLink(root.resolve("sent"), ServiceLine.requestPipe(instance, "1"));
            // the service's ends: it holds the answering pipe from the start, and has written its answer
            try (RandomAccessFile request = new RandomAccessFile(ServiceLine.requestPipe(instance, "1").toFile(), "rw");
                    RandomAccessFile reply = new RandomAccessFile(ServiceLine.replyPipe(instance, "1").toFile(), "rw")) {
                reply.write(new byte[] {ServiceProtocol.EXIT, 0, 0, 0, 4, 0, 0, 0, 3});
                ServiceLine line = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> ServiceLine.sent(sent).orElseThrow());
                assertEquals(ServiceProtocol.ATTACHED, request.readByte(), "the service learns it may close its end");
                assertEquals(3, ServiceProtocol.read(line.reply).orElseThrow().asInt());
            }
        } finally {
            alive.destroyForcibly().waitFor();
        }
    }

    private static void mkfifo(Path path) throws IOException, InterruptedException {
        assertEquals(0, new ProcessBuilder("mkfifo", "-m", "600", path.toString()).inheritIO().start().waitFor());
    }
}
