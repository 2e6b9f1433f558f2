package dev.ctrnet.cli;

import dev.ctrnet.core.container.Stdio;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one run of a command depends on besides its arguments: the environment and working directory of
 * the process the user started, where a foreground container's streams go, and how Ctrl-C reaches the
 * command. In-process these are this JVM's own; in the service, the client's.
 *
 * @param environment the user's environment
 * @param workingDirectory where relative paths on the command line start
 * @param stdio the streams a foreground container or {@code exec} is attached to; {@link Redirect#PIPE}
 *     ones are relayed to this command's {@code System.out}/{@code System.err}
 * @param interrupts where the command learns of Ctrl-C and SIGTERM
 */
record Invocation(Map<String, String> environment, Path workingDirectory, Stdio stdio, Interrupts interrupts) {
    Invocation {
        environment = Map.copyOf(environment);
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        Objects.requireNonNull(stdio, "stdio");
        Objects.requireNonNull(interrupts, "interrupts");
    }

    /** This JVM's own environment, directory and streams; signals arrive as a JVM shutdown. */
    static Invocation ofThisProcess() {
        return new Invocation(System.getenv(), Path.of(System.getProperty("user.dir")), Stdio.inherit(),
                Interrupts.SHUTDOWN_HOOK);
    }

    /** A variable of the user's environment; an empty one counts as unset. */
    Optional<String> env(String name) {
        return Optional.ofNullable(environment.get(name)).filter(v -> !v.isEmpty());
    }

    /**
     * {@code path} as the user meant it: relative to their working directory. An empty path stays empty,
     * for the runtime to refuse: it names no folder.
     */
    Path resolve(Path path) {
        return path.toString().isEmpty() ? path : workingDirectory.resolve(path).normalize();
    }

    /**
     * Copies the output of {@code process} that goes to pipes (see {@link #stdio}) to this command's
     * output; the returned handle waits until all of it is copied.
     */
    Relayed relay(Process process) {
        List<Thread> copies = new ArrayList<>();
        if (stdio.out() == Redirect.PIPE) {
            copies.add(copy(process.getInputStream(), System.out));
        }
        if (stdio.err() == Redirect.PIPE) {
            copies.add(copy(process.getErrorStream(), System.err));
        }
        return () -> {
            for (Thread t : copies) {
                t.join();
            }
        };
    }

    /** The copying of a process's piped output, which may still be under way. */
    interface Relayed {
        void await() throws InterruptedException;
    }

    private static Thread copy(InputStream from, PrintStream to) {
        Thread t = new Thread(() -> {
            try (InputStream in = from) {
                in.transferTo(new OutputStream() {
                    @Override
                    public void write(int b) {
                        to.write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        to.write(b, off, len);
                        to.flush();
                    }
                });
            } catch (IOException e) {
                // the process closed its end early; what it wrote before that was copied
            }
        }, "ctrnet-relay");
        t.start();
        return t;
    }

    /** How Ctrl-C and SIGTERM reach a running command. */
    interface Interrupts {
        /** Runs {@code action} when an interrupt comes, until the returned registration is closed. */
        Registration onInterrupt(Runnable action);

        /** A registered interrupt action; closing it unregisters it (it may already be running). */
        interface Registration extends AutoCloseable {
            @Override
            void close();
        }

        /** In-process: a signal ends the JVM, whose shutdown hooks run the action first. */
        Interrupts SHUTDOWN_HOOK = action -> {
            Thread hook = new Thread(action, "ctrnet-stop");
            java.lang.Runtime.getRuntime().addShutdownHook(hook);
            return () -> {
                try {
                    java.lang.Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // a signal arrived meanwhile: the hook finishes the work
                }
            };
        };
    }
}
