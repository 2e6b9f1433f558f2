package dev.ctrnet.core;

import dagger.Module;
import dagger.Provides;
import dev.ctrnet.api.kernel.Kernel;
import dev.ctrnet.api.kernel.Programs;
import dev.ctrnet.api.kernel.Sysctl;
import dev.ctrnet.core.container.Sandboxes;
import dev.ctrnet.core.dryrun.ScriptedKernel;
import dev.ctrnet.core.dryrun.ScriptedPrograms;
import dev.ctrnet.core.dryrun.ShellScript;
import dev.ctrnet.core.firewall.Firewall;
import dev.ctrnet.core.ipam.Ipam;
import dev.ctrnet.core.kernel.NativeNamespaces;
import dev.ctrnet.core.kernel.ProcSysctl;
import dev.ctrnet.core.plugin.DriverCatalog;
import dev.ctrnet.core.state.StateStore;
import dev.ctrnet.core.undo.Journals;
import javax.inject.Singleton;

/**
 * How a dry run's parts are made: records in the scratch copy; the kernel, the container's namespaces and the
 * firewall tools scripted, reading the real ones; everything else as in {@link CoreModule}.
 */
@Module
final class DryRunModule {
    private DryRunModule() {}

    @Provides
    @Singleton
    static StateStore store(DryRuns.Scratch scratch) {
        return new StateStore(scratch.root());
    }

    @Provides
    @Singleton
    static Ipam ipam(DryRuns.Scratch scratch) {
        return new Ipam(scratch.root());
    }

    /** Netlink sockets of the dry run's own, for reading; closed with its runtime. */
    @Provides
    @Singleton
    static NativeNamespaces namespaces() {
        return new NativeNamespaces();
    }

    @Provides
    @Singleton
    static ShellScript script() {
        return new ShellScript();
    }

    @Provides
    @Singleton
    static ScriptedKernel scriptedKernel(NativeNamespaces namespaces, ShellScript script) {
        return new ScriptedKernel(namespaces, new ProcSysctl(namespaces), script);
    }

    @Provides
    @Singleton
    static Sandboxes sandboxes(ScriptedKernel kernel) {
        return kernel.sandboxes();
    }

    @Provides
    @Singleton
    static Sysctl sysctl(ScriptedKernel kernel, StateStore store) {
        return new ForwardingRecorder(kernel.sysctl(), store);
    }

    /** No journal: a dry run changes nothing that a crash could leave. */
    @Provides
    @Singleton
    static Journals journals(Kernel kernel, Sandboxes sandboxes) {
        return Journals.none(kernel, sandboxes);
    }

    @Provides
    @Singleton
    static Kernel kernel(ScriptedKernel kernel, Sysctl sysctl) {
        return new HostKernel(kernel.namespaces(), sysctl);
    }

    @Provides
    @Singleton
    static NameService names(RuntimeConfig config, DriverCatalog catalog, Programs programs, ShellScript script) {
        return NameService.scripted(config, catalog, programs, script);
    }

    @Provides
    @Singleton
    static LoopbackProxies proxies(RuntimeConfig config, Programs programs, ShellScript script) {
        return LoopbackProxies.scripted(config, programs, script);
    }

    @Provides
    @Singleton
    static Firewall firewall(RuntimeConfig config, StateStore store, DriverCatalog catalog, Programs programs,
            ShellScript script) {
        ScriptedPrograms scripted = new ScriptedPrograms(programs, script);
        return new Firewall(store, catalog, scripted, config.nat(), CoreModule.ruleSet(config),
                why -> scripted.because(why.get()));
    }
}
