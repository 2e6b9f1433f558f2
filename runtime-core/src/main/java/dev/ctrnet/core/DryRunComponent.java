package dev.ctrnet.core;

import dagger.BindsInstance;
import dagger.Component;
import dev.ctrnet.api.kernel.Programs;
import dev.ctrnet.core.dryrun.ShellScript;
import dev.ctrnet.core.plugin.DriverCatalog;
import javax.inject.Singleton;

/** The object graph of a dry run: the core's, but scripted where it would change the kernel or the state root. */
@Singleton
@Component(modules = DryRunModule.class)
interface DryRunComponent {
    Runtime runtime();

    ShellScript script();

    @Component.Factory
    interface Factory {
        /**
         * @param catalog the real runtime's drivers and backends
         * @param programs the real runtime's tools, for what only reads
         * @param scratch the copy of the records the dry run changes
         */
        DryRunComponent create(@BindsInstance RuntimeConfig config, @BindsInstance DriverCatalog catalog,
                @BindsInstance Programs programs, @BindsInstance DryRuns.Scratch scratch);
    }
}
