package dev.ctrnet.core.plugin;

import dev.ctrnet.api.ServiceName;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A service class a plugin lists, loaded but not initialized: none of its code has run yet.
 *
 * @param type the SPI interface it implements
 * @param provider how {@link ServiceLoader} found it
 * @param declaredName the name its {@link ServiceName} declares, if it has one
 */
record ServiceCandidate<T>(Class<T> type, ServiceLoader.Provider<T> provider, Optional<String> declaredName) {
    /** Its class's name, for messages. */
    String className() {
        return provider.type().getName();
    }

    /** Instantiates it: here its static initializer and constructor run, for the first time. */
    T instantiate() throws PluginRejected {
        return PluginLoader.guarded(type, provider::get);
    }
}
