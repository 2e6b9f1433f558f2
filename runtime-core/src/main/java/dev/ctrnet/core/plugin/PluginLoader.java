package dev.ctrnet.core.plugin;

import dev.ctrnet.api.NatBackend;
import dev.ctrnet.api.NetworkDriver;
import dev.ctrnet.api.ServiceName;
import java.lang.annotation.AnnotationFormatError;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/**
 * Loads a plugin jar in a class loader of its own ({@link PluginClassLoader}), whose parent shares
 * only the SPI with the runtime (see {@link ApiClassLoader}), and finds its drivers and backends with
 * {@link ServiceLoader} without running any of its code: the classes are loaded but not initialized,
 * and their {@link ServiceName} is read from the class. Instantiating them is left to the caller,
 * once every check that can be made before has passed.
 */
final class PluginLoader {
    private final ClassLoader api;

    /** A loader whose plugins share the SPI's classes with {@code runtime}, the loader of the core. */
    PluginLoader(ClassLoader runtime) {
        this.api = new ApiClassLoader(runtime);
    }

    /** Finds what {@code jar} provides. */
    FoundPlugin load(PluginJar jar) throws PluginRejected {
        ClassLoader loader = new PluginClassLoader(jar, api);
        List<ServiceCandidate<NetworkDriver>> drivers = find(NetworkDriver.class, loader);
        List<ServiceCandidate<NatBackend>> backends = find(NatBackend.class, loader);
        if (drivers.isEmpty() && backends.isEmpty()) {
            throw new PluginRejected("it provides no network driver or NAT backend: list its classes in "
                    + "META-INF/services/" + NetworkDriver.class.getName() + " or " + NatBackend.class.getName());
        }
        return new FoundPlugin(jar, drivers, backends);
    }

    private static <T> List<ServiceCandidate<T>> find(Class<T> type, ClassLoader loader) throws PluginRejected {
        // stream() loads each listed class without initializing it, unlike iterating, which instantiates
        return guarded(type, () -> ServiceLoader.load(type, loader).stream()
                .map(p -> new ServiceCandidate<>(type, p, Optional.ofNullable(p.type().getAnnotation(ServiceName.class))
                        .map(ServiceName::value)))
                .toList());
    }

    /** Runs {@code action}, which loads or runs plugin code, saying in one sentence what went wrong. */
    static <R> R guarded(Class<?> type, Supplier<R> action) throws PluginRejected {
        try {
            return action.get();
        } catch (ServiceConfigurationError e) {
            throw new PluginRejected("its " + type.getSimpleName() + " cannot be loaded: " + e.getMessage(), e);
        } catch (NoClassDefFoundError e) {
            throw new PluginRejected("it uses " + e.getMessage().replace('/', '.')
                    + ", which is neither in the jar nor in runtime-api: plugins may depend on runtime-api only", e);
        } catch (LinkageError | AnnotationFormatError e) {
            throw new PluginRejected("it does not link against this ctrnet's runtime-api (" + e
                    + "): rebuild it against this version", e);
        } catch (RuntimeException e) {
            throw new PluginRejected("its " + type.getSimpleName() + " failed while starting: " + e, e);
        }
    }
}
