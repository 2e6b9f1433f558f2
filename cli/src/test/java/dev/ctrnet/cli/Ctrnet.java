package dev.ctrnet.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The real {@code bin/ctrnet}, on a state root of the test's own. */
final class Ctrnet {
    static final Path REPO = Path.of(System.getProperty("ctrnet.repo", "."));

    private final Path root;
    private final List<String> globals;

    Ctrnet(Path root, String... globals) {
        this.root = root;
        this.globals = List.of(globals);
    }

    Path root() {
        return root;
    }

    /** Runs {@code ctrnet ARGS} and returns what it did. */
    Shell.Result run(String... args) {
        return Shell.run(command(args), 120);
    }

    /** Runs {@code ctrnet ARGS}, which dies as kill -9 would at the crash point named {@code point}. */
    Shell.Result runCrashingAt(String point, String... args) {
        return runWith(Map.of("CTRNET_CRASH_AT", point), args);
    }

    /** Runs {@code ctrnet ARGS} with {@code env} added to its environment. */
    Shell.Result runWith(Map<String, String> env, String... args) {
        return Shell.run(command(args), 120, env);
    }

    private List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(REPO.resolve("bin/ctrnet").toString(), "--root", root.toString()));
        cmd.addAll(globals);
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs it and expects success. */
    String ok(String... args) {
        return run(args).ok().out();
    }

    /** {@code ctrnet inspect NAME} parsed. */
    Map<String, Object> inspect(String name) {
        return Json.object(ok("inspect", name));
    }
}
