package dev.ctrnet.cli;

import dev.ctrnet.api.kernel.Programs;
import dev.ctrnet.core.kernel.ProcessPrograms;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

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

    /**
     * Runs with {@code env} added to the environment, through the runtime's own runner: a command that
     * hangs is killed with its children after {@code timeoutSeconds} and fails the test.
     */
    static Result run(List<String> command, int timeoutSeconds, java.util.Map<String, String> env) {
        Programs.Result r = new ProcessPrograms(Duration.ofSeconds(timeoutSeconds)).run(command, "", env);
        return new Result(r.exitCode(), r.stdout(), r.stderr());
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
}
