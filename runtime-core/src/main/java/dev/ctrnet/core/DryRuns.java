package dev.ctrnet.core;

import dev.ctrnet.api.kernel.Programs;
import dev.ctrnet.core.plugin.DriverCatalog;
import dev.ctrnet.core.state.StateLock;
import dev.ctrnet.core.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import javax.inject.Inject;

/** Starts {@link DryRun}s of one state root. */
final class DryRuns {
    /** Where a dry run keeps its copy of the records. */
    record Scratch(Path root) {}

    private final RuntimeConfig config;
    private final StateStore store;
    private final DriverCatalog catalog;
    private final Programs programs;

    @Inject
    DryRuns(RuntimeConfig config, StateStore store, DriverCatalog catalog, Programs programs) {
        this.config = config;
        this.store = store;
        this.catalog = catalog;
        this.programs = programs;
    }

    /**
     * Takes the state root's lock, copies its records to a private folder, and wires a scripted runtime on them.
     * A root that does not exist yet has no records, and is not made: a dry run leaves no trace.
     */
    DryRun start() {
        Optional<StateLock> lock = Files.isDirectory(store.root()) ? Optional.of(store.lock()) : Optional.empty();
        Path scratch = null;
        try {
            // the temporary folder named now, not the one the JDK read at its first temporary file: the ctrnet
            // service names its own, which goes with it even when it is killed
            scratch = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "ctrnet-dry-run-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            store.copyRecords(scratch);
            DryRunComponent component = DaggerDryRunComponent.factory().create(config, catalog, programs,
                    new Scratch(scratch));
            return new DryRun(lock, scratch, component.runtime(), component.script());
        } catch (IOException e) {
            lock.ifPresent(StateLock::close);
            throw new CtrnetException("cannot make a folder for the dry run's records: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (scratch != null) {
                StateStore.deleteTree(scratch);
            }
            lock.ifPresent(StateLock::close);
            throw e;
        }
    }
}
