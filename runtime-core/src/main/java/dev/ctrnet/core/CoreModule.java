package dev.ctrnet.core;

import dagger.Module;
import dagger.Provides;
import dev.ctrnet.api.kernel.Kernel;
import dev.ctrnet.api.kernel.Programs;
import dev.ctrnet.api.kernel.Sysctl;
import dev.ctrnet.core.container.NativeSandboxes;
import dev.ctrnet.core.container.Sandboxes;
import dev.ctrnet.core.firewall.Firewall;
import dev.ctrnet.core.ipam.Ipam;
import dev.ctrnet.core.kernel.NativeNamespaces;
import dev.ctrnet.core.kernel.ProcSysctl;
import dev.ctrnet.core.kernel.ProcessPrograms;
import dev.ctrnet.core.plugin.DriverCatalog;
import dev.ctrnet.core.plugin.PluginDirectory;
import dev.ctrnet.core.state.StateStore;
import dev.ctrnet.core.undo.Journals;
import dev.ctrnet.libnftables.LibraryNftables;
import javax.inject.Singleton;

/** How the core's parts are made; wired at compile time by Dagger, so start-up does no reflection. */
@Module
final class CoreModule {
    private CoreModule() {}

    @Provides
    @Singleton
    static StateStore store(RuntimeConfig config) {
        return new StateStore(config.root());
    }

    @Provides
    @Singleton
    static Ipam ipam(RuntimeConfig config) {
        return new Ipam(config.root());
    }

    @Provides
    @Singleton
    static NativeNamespaces namespaces() {
        return new NativeNamespaces();
    }

    @Provides
    @Singleton
    static Sandboxes sandboxes(NativeNamespaces namespaces) {
        return new NativeSandboxes(namespaces);
    }

    @Provides
    @Singleton
    static Sysctl sysctl(NativeNamespaces namespaces, StateStore store) {
        return new ForwardingRecorder(new ProcSysctl(namespaces), store);
    }

    @Provides
    @Singleton
    static Kernel kernel(NativeNamespaces namespaces, Sysctl sysctl) {
        return new HostKernel(namespaces, sysctl);
    }

    /** The journals of operations under way, in the runtime folder: a reboot empties both it and the kernel. */
    @Provides
    @Singleton
    static Journals journals(RuntimeConfig config, Kernel kernel, Sandboxes sandboxes) {
        return Journals.in(config.runDir().resolve("journal"), kernel, sandboxes);
    }

    @Provides
    @Singleton
    static Programs programs() {
        return ProcessPrograms.fromEnvironment(LibraryNftables::shared);
    }

    @Provides
    @Singleton
    static DriverCatalog catalog(RuntimeConfig config) {
        PluginDirectory plugins = config.pluginDir().map(PluginDirectory::named)
                .orElseGet(() -> PluginDirectory.standard(config.root().resolve("plugins")));
        return DriverCatalog.load(CoreModule.class.getClassLoader(), plugins);
    }

    @Provides
    @Singleton
    static Firewall firewall(RuntimeConfig config, StateStore store, DriverCatalog catalog, Programs programs) {
        return new Firewall(store, catalog, programs, config.nat(), ruleSet(config));
    }

    /** One rule set per state root, so two roots never touch each other's rules. */
    static String ruleSet(RuntimeConfig config) {
        return config.scope().isEmpty() ? "ctrnet" : "ctrnet-" + config.scope();
    }
}
