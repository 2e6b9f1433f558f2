package dev.ctrnet.cli;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The service's command lines made ahead, one per command: once a command has run, another command line for
 * it is built in the background, so the next client that asks for it does not wait for picocli's model (2 ms
 * of reflection per command in a warm service, several times that in a new one). Each is used once: picocli
 * keeps what it parsed in the command's objects.
 */
final class PreparedCommands {
    private final Map<String, Main.Prepared> ready = new ConcurrentHashMap<>();
    private final ExecutorService maker = Executors.newSingleThreadExecutor(task -> {
        Thread t = new Thread(task, "ctrnet-prepare");
        t.setDaemon(true);
        return t;
    });

    /** A command line for {@code args}: the one made ahead for its command, or a new one. */
    Main.Prepared take(String[] args) {
        Optional<String> command = Main.commandName(args);
        Main.Prepared prepared = command.map(ready::remove).orElse(null);
        return prepared != null ? prepared : Main.prepare(command);
    }

    /** Whether a command line made ahead waits for {@code command}. */
    boolean isReady(String command) {
        return ready.containsKey(command);
    }

    /** Makes another command line for the command of {@code args} in the background, once that one has run. */
    void replace(String[] args) {
        Main.commandName(args).ifPresent(command -> maker.execute(() -> {
            if (!ready.containsKey(command)) {
                ready.putIfAbsent(command, Main.prepare(Optional.of(command)));
            }
        }));
    }
}
