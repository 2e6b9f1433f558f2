package dev.ctrnet.nat.iptables;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.kernel.Programs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Shell commands for building and probing the test topology, inside the test sandbox. */
final class Shell {
    private static final ProcessPrograms PROGRAMS = new ProcessPrograms();

    private Shell() {}

    /** Runs {@code script} with bash and returns what it did. */
    static Programs.Result run(String script) {
        return PROGRAMS.run(List.of("bash", "-c", script), "");
    }

    /** Runs {@code script} and fails the test when it exits non-zero; returns its standard output. */
    static String ok(String script) {
        Programs.Result result = run(script);
        assertTrue(result.ok(), () -> "`" + script + "` failed: " + result.stderr());
        return result.stdout();
    }

    /**
     * The lines of iptables-save that name one of the chains of {@code plan}'s rule set, as printed and in
     * order. A chain name must be a whole word: {@code CTRNET-DNAT} is not part of {@code CTRNET-ABC123-DNAT}
     * here.
     */
    static List<String> savedLines(FirewallPlan plan) {
        Chains chains = Chains.of(plan);
        List<String> own = new ArrayList<>(chains.nat());
        own.addAll(chains.filter());
        return ok("iptables-save").lines()
                .filter(line -> Arrays.stream(line.split("[\\s:]+")).anyMatch(own::contains))
                .toList();
    }

    /** Fails unless the test runs in the throwaway namespace that surefire's sandbox wrapper creates. */
    static void requireSandbox() {
        assertTrue("1".equals(System.getenv("CTRNET_SANDBOX")),
                "kernel tests must run inside tools/sandbox-java, never in the machine's own namespace");
    }
}
