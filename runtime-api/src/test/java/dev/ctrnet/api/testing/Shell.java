package dev.ctrnet.api.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.kernel.Programs;
import java.util.List;

/** Shell commands for building and probing the test topology and the rules in it, inside the test sandbox. */
public final class Shell {
    private static final ProcessPrograms PROGRAMS = new ProcessPrograms();

    private Shell() {}

    /** Runs {@code script} with bash and returns what it did. */
    public static Programs.Result run(String script) {
        return PROGRAMS.run(List.of("bash", "-c", script), "");
    }

    /** Runs {@code command} and returns what it did. */
    public static Programs.Result run(List<String> command) {
        return PROGRAMS.run(command, "");
    }

    /** Runs {@code script} and fails the test when it exits non-zero; returns its standard output. */
    public static String ok(String script) {
        Programs.Result result = run(script);
        assertTrue(result.ok(), () -> "`" + script + "` failed: " + result.stderr());
        return result.stdout();
    }

    /**
     * Fails unless {@code dryRun}, a tool's check-only mode such as {@code nft -c -f -}, accepts {@code rules}
     * on its standard input: the kernel's own parser is the judge of what a backend renders.
     */
    public static void assertAccepts(List<String> dryRun, String rules) {
        requireSandbox();
        Programs.Result check = PROGRAMS.run(dryRun, rules);
        assertTrue(check.ok(), check.stderr());
    }

    /** Fails unless the test runs in the throwaway namespace that surefire's sandbox wrapper creates. */
    public static void requireSandbox() {
        assertTrue(PrivilegedTests.canRun(),
                "kernel tests must run inside tools/sandbox/bin/java, never in the machine's own namespace");
    }
}
