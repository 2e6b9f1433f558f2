package dev.ctrnet.cli;

import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.core.CtrnetException;
import dev.ctrnet.core.DryRun;
import dev.ctrnet.core.Runtime;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * {@code --dry-run}: the command runs its usual code on {@link Runtime#dryRun() a dry run} of the runtime, and
 * prints what it would have done as a shell script instead of doing it. Errors are the command's own, reported
 * as usual.
 */
final class DryRunOption {
    @Option(names = "--dry-run", description = "print the equivalent shell commands, in order, and change nothing")
    boolean enabled;

    /** Runs {@code work} on a dry run of {@code runtime} and prints the script; {@code what} names the command. */
    int print(Runtime runtime, String what, Consumer<DryRun> work) {
        try (DryRun dry = runtime.dryRun()) {
            work.accept(dry);
            System.out.print(dry.script(what));
        }
        return 0;
    }

    /**
     * {@link Main#eachName} on a dry run: each name's failure is reported and the others still run, on the state
     * the ones before them would have left; the script holds what succeeded.
     */
    int each(Runtime runtime, String what, List<String> names, BiConsumer<Runtime, String> action) {
        try (DryRun dry = runtime.dryRun()) {
            int status = 0;
            boolean any = false;
            for (String name : names) {
                try {
                    action.accept(dry.runtime(), name);
                    any = true;
                } catch (CtrnetException | KernelException | IllegalArgumentException e) {
                    Main.printError(e.getMessage());
                    status = 1;
                }
            }
            if (any) {
                System.out.print(dry.script(what));
            }
            return status;
        }
    }
}
