package dev.ctrnet.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a command for a test and returns what it did; a test's independent eyes (ip, nft, ping, socat). */
final class Shell {
    private Shell() {}

    /** What a command did. */
    record Result(int exit, String out, String err) {
        Result ok() {
            if (exit != 0) {
                throw new AssertionError("exit " + exit + "\nstdout: " + out + "\nstderr: " + err);
            }
            return this;
        }

        /** Expects a refusal, as the CLI's contract has it: a non-zero exit and one line on stderr, {@code ctrnet: …}. */
        Result refused() {
            if (exit == 0 || err.lines().count() != 1 || !err.startsWith("ctrnet: ")) {
                throw new AssertionError("not one clear refusal: exit " + exit + "\nstderr: " + err);
            }
            return this;
        }
    }

    static Result run(List<String> command) {
        return run(command, 60);
    }

    static Result run(List<String> command, int timeoutSeconds) {
        return run(command, timeoutSeconds, java.util.Map.of());
    }

    /** Runs with {@code env} added to the environment. */
    static Result run(List<String> command, int timeoutSeconds, java.util.Map<String, String> env) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(env);
            Process p = pb.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out after " + timeoutSeconds + "s: " + command);
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** {@code sh -c script}. */
    static Result sh(String script) {
        return run(List.of("sh", "-c", script));
    }

    /** Starts a long-running command (a server) with its output discarded. */
    static Process background(List<String> command) {
        try {
            return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
