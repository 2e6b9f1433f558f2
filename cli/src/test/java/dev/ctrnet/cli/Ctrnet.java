package dev.ctrnet.cli;

import dev.ctrnet.api.testing.Probe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The real {@code bin/ctrnet}, on a state root of the test's own. */
final class Ctrnet {
    static final Path REPO = Path.of(System.getProperty("ctrnet.repo", "."));

    private final Path root;
    private final List<String> globals;
    private final List<String> prefix;

    Ctrnet(Path root, String... globals) {
        this(List.of(), root, List.of(globals));
    }

    private Ctrnet(List<String> prefix, Path root, List<String> globals) {
        this.prefix = prefix;
        this.root = root;
        this.globals = globals;
    }

    /** The same command run in the network namespace of file {@code netns}, which then plays the host. */
    Ctrnet inNetworkNamespace(Path netns) {
        return new Ctrnet(List.of("nsenter", "--net=" + netns), root, globals);
    }

    Path root() {
        return root;
    }

    /**
     * A copy of ctrnet in a new temporary folder, as another installation of this build: the launcher and the CLI's
     * jar (with their times), beside a link to the same libraries. Its launcher is {@code bin/ctrnet} there.
     */
    static Path copyOfInstallation() throws IOException {
        Path copy = Files.createTempDirectory("ctrnet-copy");
        Files.createDirectories(copy.resolve("bin"));
        Files.createDirectories(copy.resolve("cli/target"));
        Files.copy(REPO.resolve("bin/ctrnet"), copy.resolve("bin/ctrnet"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(REPO.resolve("cli/target/ctrnet-cli.jar"), copy.resolve("cli/target/ctrnet-cli.jar"),
                StandardCopyOption.COPY_ATTRIBUTES);
        Files.createSymbolicLink(copy.resolve("cli/target/lib"), REPO.resolve("cli/target/lib").toAbsolutePath());
        return copy;
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

    /** The command line of {@code ctrnet ARGS} on this state root, for a test that starts it itself. */
    List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(REPO.resolve("bin/ctrnet").toString(), "--root", root.toString()));
        cmd.addAll(globals);
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs it and expects success. */
    String ok(String... args) {
        return run(args).ok().out();
    }

    /** The command prefix that runs a command in {@code container} ({@code ctrnet exec CONTAINER --}). */
    List<String> exec(String container) {
        return command("exec", container, "--");
    }

    /** Waits until something in {@code container} listens on TCP {@code port}. */
    void awaitListening(String container, int port) {
        boolean listening = Eventually.holds(() ->
                run("exec", container, "--", "sh", "-c", "ss -ltn | grep -q ':" + port + " '").exit() == 0);
        if (!listening) {
            throw new AssertionError(container + " never listened on " + port);
        }
    }

    /** Removes every container and every network but the built-in ones, as a suite's last step. */
    void removeEverything() {
        for (Map<String, Object> c : Json.array(ok("ps", "-a", "--format", "json"))) {
            ok("rm", "-f", (String) c.get("name"));
        }
        for (Map<String, Object> n : Json.array(ok("network", "ls", "--format", "json"))) {
            String name = (String) n.get("name");
            if (!List.of("bridge", "host", "none").contains(name)) {
                ok("network", "rm", name);
            }
        }
    }

    /** The address {@code container} has on its first network, as {@code ctrnet inspect} shows it. */
    String ip(String container) {
        return (String) inspect(container).get("ip");
    }

    /** The exit status of one ping from {@code container} to {@code address}, answered within two seconds or not: for what must not answer. */
    int ping(String container, String address) {
        return run("exec", container, "--", "ping", "-c1", "-W2", address).exit();
    }

    /** Whether {@code address} answers a ping from {@code container}, within the probes' patience. */
    boolean reaches(String container, String address) {
        return Probe.answersPing(exec(container), address);
    }

    /** {@code ctrnet inspect NAME} parsed. */
    Map<String, Object> inspect(String name) {
        return Json.object(ok("inspect", name));
    }
}
