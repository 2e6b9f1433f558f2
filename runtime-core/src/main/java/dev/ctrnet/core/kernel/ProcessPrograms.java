package dev.ctrnet.core.kernel;

import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.api.kernel.Nftables;
import dev.ctrnet.api.kernel.Programs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * {@link Programs} through {@link ProcessBuilder}. Input, output and error streams are each served by
 * their own thread, so a program that writes much before reading cannot deadlock against us.
 */
public final class ProcessPrograms implements Programs {
    /** Which Debian package provides a program, for the "not installed" sentence. */
    private static final Map<String, String> PACKAGES = Map.of(
            "nft", "nftables",
            "iptables", "iptables",
            "iptables-restore", "iptables",
            "iptables-save", "iptables",
            "ip", "iproute2",
            "nsenter", "util-linux",
            "unshare", "util-linux");

    private final Supplier<Optional<Nftables>> nftables;

    /** Programs only: {@link #nftables()} is empty. */
    public ProcessPrograms() {
        this(Optional::empty);
    }

    /** @param nftables nftables' library, asked for only when a backend wants it */
    public ProcessPrograms(Supplier<Optional<Nftables>> nftables) {
        this.nftables = nftables;
    }

    @Override
    public Optional<Nftables> nftables() {
        return nftables.get();
    }

    @Override
    public Result run(List<String> command, String input) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no program to run");
        }
        Process process = start(command);
        CompletableFuture<String> stdout = readAll(process.getInputStream());
        CompletableFuture<String> stderr = readAll(process.getErrorStream());
        CompletableFuture<Void> stdin = CompletableFuture.runAsync(() -> writeAll(process.getOutputStream(), input),
                ProcessPrograms::newThread);
        try {
            int exit = process.waitFor();
            stdin.exceptionally(e -> null).get();
            return new Result(exit, stdout.get(), stderr.get());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new KernelException(0, command.get(0) + " was interrupted", e);
        } catch (ExecutionException e) {
            throw new KernelException(0, "cannot read the output of " + command.get(0) + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public boolean exists(String program) {
        return locate(program).isPresent();
    }

    /** Where {@code program} is found on the search path (or itself, when it is a path). */
    public static Optional<Path> locate(String program) {
        if (program.contains("/")) {
            return Optional.of(Path.of(program)).filter(Files::isExecutable);
        }
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/sbin:/usr/bin:/sbin:/bin");
        return Arrays.stream(path.split(":"))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, program))
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
                .findFirst();
    }

    private static Process start(List<String> command) {
        String program = command.get(0);
        try {
            return new ProcessBuilder(command).start();
        } catch (IOException e) {
            String name = Path.of(program).getFileName().toString();
            String sentence = Optional.ofNullable(PACKAGES.get(name))
                    .map(pkg -> "cannot run " + name + ": it is not installed (apt-get install " + pkg + ")")
                    .orElse("cannot run " + program + ": it is not installed or not executable");
            throw new KernelException(KernelException.ENOENT, sentence, e);
        }
    }

    private static CompletableFuture<String> readAll(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, ProcessPrograms::newThread);
    }

    /** Writes the input; a program that exits without reading it all closes the pipe, which is fine. */
    private static void writeAll(OutputStream stream, String input) {
        try (stream) {
            stream.write(input.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void newThread(Runnable task) {
        Thread thread = new Thread(task, "ctrnet-program-io");
        thread.setDaemon(true);
        thread.start();
    }
}
