package dev.ctrnet.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Warms a new service up: once its first client's command has ended, it runs command lines that change nothing
 * (dry runs of {@code run}, and {@code ps}) through the command code a few times, so that the JIT compiler has
 * compiled what clients' commands share with them before those commands come. A new service's first commands
 * otherwise ran mostly interpreted: {@code run -d -p} waited 54-84 ms for the service at its first commands
 * where it waits 10-15 once warm.
 *
 * <p>Each command waits until no client's command has run for a tenth of a second, and like any command a dry run
 * holds the state lock for its few milliseconds. Their output is dropped. A service that stops ends it
 * ({@link #end()}); a dry run's copy of the records is made in the service's own folder ({@link ServiceDoor#TEMPORARY}).
 */
final class ServiceWarmUp {
    /** Rounds of {@link #COMMANDS}: the service compiles a method at its second call. */
    static final int ROUNDS = 8;
    /**
     * How long no client's command must have run before it runs one: commands that come back to back (a script)
     * would otherwise find the state lock taken by a dry run that started between them.
     */
    private static final long QUIET_MS = 100;
    private static final List<List<String>> COMMANDS = List.of(
            List.of("run", "--dry-run", "-d", "-p", "8080:80", "--", "true"),
            List.of("run", "--dry-run", "--rm", "--network", "none", "--", "true"),
            List.of("ps"));

    private final Path root;
    private final IntSupplier clientCommands;
    private final LongSupplier lastClientActivity;
    private boolean started;
    private volatile boolean ended;
    private volatile int run;

    /**
     * @param root the service's state root
     * @param clientCommands how many clients' commands are being served now
     * @param lastClientActivity when a client's command last started or ended ({@link System#nanoTime()})
     */
    ServiceWarmUp(Path root, IntSupplier clientCommands, LongSupplier lastClientActivity) {
        this.root = root;
        this.clientCommands = clientCommands;
        this.lastClientActivity = lastClientActivity;
    }

    /** Starts warming up in the background, the first time it is called. */
    synchronized void startOnce() {
        if (started || ended) {
            return;
        }
        started = true;
        Thread t = new Thread(this::run, "ctrnet-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /** For {@code service status}: how far it has come. */
    String progress() {
        int all = ROUNDS * COMMANDS.size();
        return run == all ? "warmed up" : "warming up (" + run + " of " + all + " commands run)";
    }

    /** Stops warming up, and returns once the command it was running, if any, has ended. */
    void end() {
        ended = true;
        synchronized (this) {
            // the running command held this lock: it has ended
        }
    }

    private void run() {
        try {
            for (int round = 0; round < ROUNDS; round++) {
                for (List<String> command : COMMANDS) {
                    if (!runWhenIdle(command)) {
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | LinkageError e) {
            System.err.println("ctrnet service: warming up stopped: " + e);
        }
    }

    private boolean quiet() {
        return clientCommands.getAsInt() == 0 && System.nanoTime() - lastClientActivity.getAsLong() >= QUIET_MS * 1_000_000;
    }

    /** Runs {@code command} once no client's command has run for a while; false once the warm-up has ended. */
    private boolean runWhenIdle(List<String> command) throws InterruptedException {
        while (!ended && !quiet()) {
            Thread.sleep(QUIET_MS / 4);
        }
        synchronized (this) {
            if (ended) {
                return false;
            }
            List<String> args = new ArrayList<>(List.of("--root", root.toString()));
            args.addAll(command);
            PrintStream dropped = new PrintStream(OutputStream.nullOutputStream());
            Service.RoutedOutput.route(dropped, dropped);
            try {
                Main.execute(args.toArray(String[]::new), Invocation.ofThisProcess());
            } finally {
                // what goes wrong with the warm-up itself reaches the service's log
                Service.RoutedOutput.unroute();
            }
            run++;
            return true;
        }
    }
}
