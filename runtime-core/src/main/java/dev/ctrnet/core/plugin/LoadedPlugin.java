package dev.ctrnet.core.plugin;

import dev.ctrnet.api.NatBackend;
import dev.ctrnet.api.NetworkDriver;
import java.util.List;

/**
 * What one plugin jar provides, instantiated.
 *
 * @param jar the jar
 * @param drivers its network drivers
 * @param backends its NAT backends
 */
record LoadedPlugin(PluginJar jar, List<NetworkDriver> drivers, List<NatBackend> backends) {
    LoadedPlugin {
        drivers = List.copyOf(drivers);
        backends = List.copyOf(backends);
    }
}
