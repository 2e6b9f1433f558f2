package dev.ctrnet.core;

import dev.ctrnet.core.dryrun.ShellScript;
import dev.ctrnet.core.state.StateLock;
import dev.ctrnet.core.state.StateStore;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A dry run ({@code --dry-run}): a {@link Runtime} whose operations are the very ones of the real runtime —
 * same checks, same drivers, same NAT backend — but whose kernel writes each change down as a shell command
 * instead of making it, and whose records are a scratch copy of the state root's. {@link #script} then says,
 * as a script a root shell can run, what the operations would have done. The state root's lock is held
 * until {@link #close}, so what the run reads stays what a real run would find.
 */
public final class DryRun implements AutoCloseable {
    private final Optional<StateLock> lock;
    private final Path scratch;
    private final Runtime runtime;
    private final ShellScript script;

    DryRun(Optional<StateLock> lock, Path scratch, Runtime runtime, ShellScript script) {
        this.lock = lock;
        this.scratch = scratch;
        this.runtime = runtime;
        this.script = script;
    }

    /** The runtime to call, as the real one would be called. */
    public Runtime runtime() {
        return runtime;
    }

    /** Adds a comment of its own to the script: for what the command does that is no kernel change. */
    public void note(String text) {
        script.note(text);
    }

    /** The script of everything done so far; {@code what} names the command in its header ("ctrnet run"). */
    public String script(String what) {
        return script.render(what);
    }

    /** Forgets the scratch records and releases the state root. */
    @Override
    public void close() {
        try {
            runtime.close();
            StateStore.deleteTree(scratch);
        } finally {
            lock.ifPresent(StateLock::close);
        }
    }
}
