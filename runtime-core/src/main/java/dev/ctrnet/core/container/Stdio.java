package dev.ctrnet.core.container;

import java.lang.ProcessBuilder.Redirect;
import java.util.Objects;

/**
 * Where a foreground container's (or {@code exec}'s) standard streams go: this process's own, or the
 * streams of the client a service runs the command for.
 *
 * @param in standard input
 * @param out standard output
 * @param err standard error
 */
public record Stdio(Redirect in, Redirect out, Redirect err) {
    public Stdio {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
    }

    /** This process's own streams. */
    public static Stdio inherit() {
        return new Stdio(Redirect.INHERIT, Redirect.INHERIT, Redirect.INHERIT);
    }

    /** {@code pb} with these streams. */
    public ProcessBuilder applyTo(ProcessBuilder pb) {
        return pb.redirectInput(in).redirectOutput(out).redirectError(err);
    }
}
