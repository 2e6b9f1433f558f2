package dev.ctrnet.core.dryrun;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The steps a dry run records, in order: each the shell commands equivalent to one change the runtime would
 * make, with a line saying why; rendered as a script that a root shell can run as it stands.
 */
public final class ShellScript {
    /** Words a POSIX shell takes as they are; anything else is quoted. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private final List<Step> steps = new ArrayList<>();

    /**
     * One step.
     *
     * @param why the comment above it: one line
     * @param commands its command lines, already quoted
     * @param input what the last command reads on its standard input, written as a here-document
     */
    record Step(String why, List<String> commands, Optional<String> input) {
        Step {
            why = why.replace('\n', ' ');
            commands = List.copyOf(commands);
        }
    }

    /** Adds a step of {@code commands}, each a list of words. */
    @SafeVarargs
    final void add(String why, List<String>... commands) {
        List<String> lines = new ArrayList<>();
        for (List<String> words : commands) {
            lines.add(line(words));
        }
        steps.add(new Step(why, lines, Optional.empty()));
    }

    /** Adds a step of command lines written as they are (for {@code ||} and braces). */
    void addLines(String why, String... lines) {
        steps.add(new Step(why, List.of(lines), Optional.empty()));
    }

    /** Adds a step of one command that reads {@code input}. */
    void addWithInput(String why, List<String> command, String input) {
        steps.add(new Step(why, List.of(line(command)), Optional.of(input)));
    }

    /** Adds a comment of its own, for what the runtime does that is no command. */
    public void note(String text) {
        steps.add(new Step(text, List.of(), Optional.empty()));
    }

    /** Whether nothing was recorded. */
    public boolean isEmpty() {
        return steps.isEmpty();
    }

    /**
     * The script: a header that names {@code what} (e.g. "ctrnet run"), {@code set -e}, and each step after
     * its comment.
     */
    public String render(String what) {
        StringBuilder out = new StringBuilder();
        out.append("#!/bin/sh\n");
        out.append("# What ").append(what.replace('\n', ' '))
                .append(" would do, as the equivalent shell commands in the order it would do them.\n");
        out.append("# Nothing was changed. Run it as root; ctrnet's own records are not part of it.\n");
        out.append("set -e\n");
        for (Step step : steps) {
            out.append('\n').append("# ").append(step.why()).append('\n');
            for (int i = 0; i < step.commands().size(); i++) {
                out.append(step.commands().get(i));
                boolean last = i == step.commands().size() - 1;
                if (last && step.input().isPresent()) {
                    hereDocument(out, step.input().get());
                } else {
                    out.append('\n');
                }
            }
        }
        return out.toString();
    }

    /** {@code <<'EOF'}, the input unchanged (no expansion), and the delimiter, which no line of it equals. */
    private static void hereDocument(StringBuilder out, String input) {
        String text = input.endsWith("\n") ? input : input + "\n";
        String delimiter = "EOF";
        List<String> lines = text.lines().toList();
        while (lines.contains(delimiter)) {
            delimiter = delimiter + "_";
        }
        out.append(" <<'").append(delimiter).append("'\n").append(text).append(delimiter).append('\n');
    }

    /** A command line of {@code words}, each quoted when the shell would otherwise read it differently. */
    static String line(List<String> words) {
        return String.join(" ", words.stream().map(ShellScript::quote).toList());
    }

    /** {@code word} as one shell word. */
    static String quote(String word) {
        if (PLAIN.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
