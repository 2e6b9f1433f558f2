package dev.ctrnet.core.kernel;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.ctrnet.api.kernel.Programs;
import java.io.IOException;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Independent witnesses: {@code ip -j}, {@code nsenter}, {@code ping}, run as processes. */
final class Tools {
    private Tools() {
    }

    /** What a command printed and how it exited. */
    record Run(int exit, String out) {
    }

    /** Runs through the runtime's own runner, so a tool that hangs fails the test instead of holding it. */
    static Run run(List<String> command) {
        Programs.Result result = new ProcessPrograms(Duration.ofSeconds(60)).run(command, "");
        return new Run(result.exitCode(), result.stdout() + result.stderr());
    }

    /** {@code ip -j ARGS} in the host namespace, or inside {@code netns} through nsenter. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> ipJson(Optional<Path> netns, String... args) {
        List<String> command = new ArrayList<>();
        netns.ifPresent(path -> command.addAll(List.of("nsenter", "--net=" + path)));
        command.addAll(List.of("ip", "-j"));
        command.addAll(List.of(args));
        Run run = run(command);
        if (run.exit() != 0) {
            return List.of();
        }
        try {
            return (List<Map<String, Object>>) (List<?>) JSON.std.listFrom(run.out().isBlank() ? "[]" : run.out());
        } catch (IOException e) {
            throw new IllegalStateException("ip printed no JSON: " + run.out(), e);
        }
    }

    static List<Map<String, Object>> ipJson(String... args) {
        return ipJson(Optional.empty(), args);
    }

    /** The link of that name as {@code ip -j -d link show} prints it. */
    static Optional<Map<String, Object>> link(Optional<Path> netns, String name) {
        return ipJson(netns, "-d", "link", "show", "dev", name).stream().findFirst();
    }

    /** {@code ADDRESS/PREFIX} of every IPv4 address of a link, as {@code ip -j addr} prints them. */
    @SuppressWarnings("unchecked")
    static List<String> addresses(Optional<Path> netns, String link) {
        return ipJson(netns, "-4", "addr", "show", "dev", link).stream()
                .flatMap(l -> ((List<Map<String, Object>>) l.get("addr_info")).stream())
                .map(a -> a.get("local") + "/" + a.get("prefixlen"))
                .toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> child(Map<String, Object> map, String key) {
        return (Map<String, Object>) map.get(key);
    }

    static String readlink(String path) {
        try {
            return java.nio.file.Files.readSymbolicLink(Path.of(path)).toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
