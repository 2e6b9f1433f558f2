package dev.ctrnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: thirty ctrnet commands at once, some through the service and some in processes of their own (which
 * take the state lock against the service), keep the state and the kernel equal; a lock held too long ends a
 * command with one clear line naming the holder, not a hang.
 */
class ConcurrencyIT {
    private static final String SLEEP = "900";

    /**
     * Ten {@code run -d -p} and ten {@code rm -f} on two networks, five {@code network create} and five
     * {@code network rm}, started together: each succeeds, and the state and the kernel are what they did.
     */
    @Test
    void thirtyCommandsAtOnceKeepTheInvariant() throws Exception {
        try (IsolatedHost host = new IsolatedHost("nftables", "concurrent")) {
            Ctrnet ctrnet = host.ctrnet();
            ctrnet.ok("network", "create", "--subnet", "10.91.0.0/24", "left");
            ctrnet.ok("network", "create", "--subnet", "10.92.0.0/24", "right");
            for (int i = 1; i <= 5; i++) {
                ctrnet.ok("network", "create", "--subnet", "10.93." + i + ".0/24", "spare" + i);
            }
            for (int i = 1; i <= 10; i++) {
                ctrnet.ok("run", "-d", "--name", "old" + i, "--network", side(i), "--", "sleep", SLEEP);
            }
            List<List<String>> commands = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                commands.add(List.of("run", "-d", "--name", "new" + i, "--network", side(i), "-p", (9100 + i) + ":80",
                        "--", "sleep", SLEEP));
                commands.add(List.of("rm", "-f", "old" + i));
            }
            for (int i = 1; i <= 5; i++) {
                commands.add(List.of("network", "create", "--subnet", "10.94." + i + ".0/24", "extra" + i));
                commands.add(List.of("network", "rm", "spare" + i));
            }
            List<Shell.Result> results = atOnce(ctrnet, commands);
            for (int i = 0; i < commands.size(); i++) {
                Shell.Result r = results.get(i);
                assertEquals(0, r.exit(), "ctrnet " + String.join(" ", commands.get(i)) + ": " + r.err());
            }
            Model model = Model.of(host.check());
            Map<String, Model.Container> expected = new HashMap<>();
            for (int i = 1; i <= 10; i++) {
                expected.put("new" + i, new Model.Container(List.of(side(i)), List.of((9100 + i) + "/tcp")));
            }
            Set<String> networks = new HashSet<>(List.of("left", "right"));
            for (int i = 1; i <= 5; i++) {
                networks.add("extra" + i);
            }
            assertEquals(new Model(expected, networks), model);
        }
    }

    /**
     * A command that holds the state lock (its firewall tool hangs) makes another one wait, but only for
     * {@code CTRNET_LOCK_TIMEOUT} seconds: it then says who holds the lock, in one line.
     */
    @Test
    void aLockHeldTooLongEndsTheWaitWithTheHoldersName() throws Exception {
        Path bin = Path.of("/run/ctrnet-test/concurrency-bin");
        Files.createDirectories(bin);
        Path nft = bin.resolve("nft");
        // a sleep no other test uses, so that its processes can be told apart
        Files.writeString(nft, "#!/bin/sh\nsleep 6071\n");
        Files.setPosixFilePermissions(nft, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (IsolatedHost host = new IsolatedHost("nftables", "locked")) {
            Ctrnet ctrnet = host.ctrnet();
            List<String> command = new ArrayList<>(List.of("env", "PATH=" + bin + ":" + System.getenv("PATH"),
                    "CTRNET_LIBNFTABLES=off", "CTRNET_TOOL_TIMEOUT=120", "CTRNET_NO_DAEMON=1"));
            command.addAll(ctrnet.command("network", "create", "--subnet", "10.95.0.0/24", "held"));
            Process holder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                assertTrue(Eventually.holds(() -> Shell.run(List.of("pgrep", "-f", "sleep 6071")).exit() == 0),
                        "the holder's firewall tool hangs, with the lock held");
                long started = System.nanoTime();
                Shell.Result waited = ctrnet.runWith(Map.of("CTRNET_LOCK_TIMEOUT", "2"), "network", "ls").refused();
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "it gave up in time, not after " + took);
                String err = waited.err().strip();
                assertTrue(err.startsWith("ctrnet: the state in " + host.root() + " stayed locked for 2 s by process "
                        + holder.pid() + " (ctrnet --root " + host.root()), err);
                assertTrue(err.endsWith(": wait for it to finish, or stop it"), err);
            } finally {
                holder.destroyForcibly().waitFor();
                Shell.run(List.of("pkill", "-f", "sleep 6071"));
            }
            ctrnet.ok("system", "prune");
        }
    }

    private static String side(int i) {
        return i % 2 == 0 ? "left" : "right";
    }

    /**
     * Runs every command at once, a third of them in processes of their own ({@code CTRNET_NO_DAEMON}), the rest
     * through the service, and returns what each did, in order.
     */
    private static List<Shell.Result> atOnce(Ctrnet ctrnet, List<List<String>> commands) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(commands.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Shell.Result>> running = new ArrayList<>();
            for (int i = 0; i < commands.size(); i++) {
                Map<String, String> env = i % 3 == 0 ? Map.of("CTRNET_NO_DAEMON", "1") : Map.of();
                String[] args = commands.get(i).toArray(String[]::new);
                running.add(pool.submit(() -> {
                    start.await();
                    return ctrnet.runWith(env, args);
                }));
            }
            start.countDown();
            List<Shell.Result> results = new ArrayList<>();
            for (Future<Shell.Result> f : running) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
