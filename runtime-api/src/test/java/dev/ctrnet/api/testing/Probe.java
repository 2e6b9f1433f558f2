package dev.ctrnet.api.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Clients that ask a server for its answer, as a user would with {@code socat} and {@code ping}, each started
 * with a command prefix that puts it where it asks from ({@code ip netns exec NS}, {@code ctrnet exec NAME --},
 * or nothing for the host).
 *
 * <p>They hold on a loaded machine: an answer may take up to {@link #PATIENCE} (a forking responder can take
 * seconds to be scheduled) and is returned as soon as it comes, so waiting longer costs nothing when all is well.
 * What bounds a probe that gets no answer is the network's own refusal, or for TCP a connect timeout: a port
 * that must not answer is not waited on for the whole patience.
 */
public final class Probe {
    /**
     * How long an answer may take; also what a test's socat responder is given with {@code -t}, since by default
     * it waits only half a second, once the question has come, for the program that answers.
     */
    public static final int PATIENCE = 20;
    /** How long a TCP connection may take to be accepted; a SYN lost once is sent again after a second. */
    private static final int CONNECT = 3;

    private Probe() {}

    /**
     * What a TCP server at {@code address:port} answers, until it closes; "" when the connection is refused, not
     * accepted within a few seconds, or nothing came. An IPv6 address is given bare.
     */
    public static String tcp(List<String> prefix, String address, int port) {
        // -t: once its input has ended, socat would give the answer only half a second by default
        return Shell.run(command(prefix, "socat", "-t" + PATIENCE, "-T" + PATIENCE, "-",
                "TCP:" + host(address) + ":" + port + ",connect-timeout=" + CONNECT)).stdout().strip();
    }

    /**
     * The first line a UDP server at {@code address:port} answers; "" when none came within {@link #PATIENCE}.
     * UDP promises no delivery, so one socket sends again every second until an answer comes, as a resolver
     * does: an answer to any of them counts, however late (a new socket per try would miss a late answer).
     */
    public static String udp(List<String> prefix, String address, int port) {
        Process client = start(command(prefix, "socat", "-", "UDP:" + host(address) + ":" + port));
        try (BufferedReader answers = client.inputReader(); Writer questions = client.outputWriter()) {
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> firstLine(answers));
            for (int second = 0; second < PATIENCE && client.isAlive(); second++) {
                questions.write("ping\n");
                questions.flush();
                try {
                    return answer.get(1, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    // nothing yet: ask again
                }
            }
            return answer.getNow("");
        } catch (IOException e) {
            return ""; // the client ended (a refusal ends it): nothing answered
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            client.descendants().forEach(ProcessHandle::destroyForcibly);
            client.destroyForcibly();
        }
    }

    /** Whether {@code address} answers a ping within {@link #PATIENCE}; one is sent every second until one does. */
    public static boolean answersPing(List<String> prefix, String address) {
        return Shell.run(command(prefix, "ping", "-c1", "-w" + PATIENCE, address)).ok();
    }

    private static String firstLine(BufferedReader answers) {
        try {
            String line = answers.readLine();
            return line == null ? "" : line.strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static Process start(List<String> command) {
        try {
            return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String host(String address) {
        return address.contains(":") ? "[" + address + "]" : address;
    }

    private static List<String> command(List<String> prefix, String... command) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(List.of(command));
        return all;
    }
}
