package dev.ctrnet.core.plugin;

import dev.ctrnet.api.NatBackend;
import dev.ctrnet.api.NetworkDriver;
import java.util.List;

/**
 * What one plugin jar lists, loaded but not yet run.
 *
 * @param jar the jar
 * @param drivers its network driver classes
 * @param backends its NAT backend classes
 */
record FoundPlugin(PluginJar jar, List<ServiceCandidate<NetworkDriver>> drivers, List<ServiceCandidate<NatBackend>> backends) {
    FoundPlugin {
        drivers = List.copyOf(drivers);
        backends = List.copyOf(backends);
    }
}
