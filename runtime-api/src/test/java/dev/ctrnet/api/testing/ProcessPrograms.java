package dev.ctrnet.api.testing;

import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.api.kernel.Nftables;
import dev.ctrnet.api.kernel.Programs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@link Programs} over {@link ProcessBuilder}: runs the real tools for tests, as the runtime does in
 * production, so a backend under test changes the kernel of the test sandbox. Bounded as the runtime's
 * runner is (which this kit cannot use: it compiles against runtime-api alone): a tool that hangs is
 * killed with its children after 30 s and fails the test instead of holding it.
 */
public final class ProcessPrograms implements Programs {
    private final Optional<Nftables> nftables;

    /** Programs only, with no {@link #nftables() library}. */
    public ProcessPrograms() {
        this(Optional.empty());
    }

    /** Programs, and {@code nftables} as the runtime would offer it. */
    public ProcessPrograms(Optional<Nftables> nftables) {
        this.nftables = nftables;
    }

    @Override
    public Optional<Nftables> nftables() {
        return nftables;
    }

    @Override
    public Result run(List<String> command, String input) {
        try {
            Process process = new ProcessBuilder(command).start();
            CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            // written aside: a tool that hangs without reading its input must not hang us before the timeout
            CompletableFuture.runAsync(() -> write(process.getOutputStream(), input));
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new KernelException(0, command.get(0) + " did not finish within 30 s");
            }
            return new Result(process.exitValue(), stdout.join(), stderr.join());
        } catch (IOException e) {
            throw new KernelException(0, "cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelException(0, "interrupted while running " + command.get(0), e);
        }
    }

    @Override
    public boolean exists(String program) {
        return run(List.of("sh", "-c", "command -v " + program), "").ok();
    }

    private static void write(OutputStream stream, String input) {
        try (stream) {
            stream.write(input.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // a tool that exits without reading all of its input closes the pipe: its exit status tells
        }
    }

    private static String read(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
