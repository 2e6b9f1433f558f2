package dev.ctrnet.core.plugin;

import dev.ctrnet.api.NatBackend;
import dev.ctrnet.api.NetworkDriver;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Loads a plugin jar in a class loader of its own, whose parent shares only the SPI with the runtime
 * (see {@link ApiClassLoader}), and instantiates its drivers and backends with {@link ServiceLoader}.
 * A jar loads whole or not at all.
 */
final class PluginLoader {
    private final ClassLoader api;

    /** A loader whose plugins share the SPI's classes with {@code runtime}, the loader of the core. */
    PluginLoader(ClassLoader runtime) {
        this.api = new ApiClassLoader(runtime);
    }

    /** Instantiates what {@code jar} provides. */
    LoadedPlugin load(PluginJar jar) throws PluginRejected {
        URLClassLoader loader = new URLClassLoader("plugin " + jar.path().getFileName(), new URL[] {url(jar)}, api);
        try {
            List<NetworkDriver> drivers = instantiate(NetworkDriver.class, loader);
            List<NatBackend> backends = instantiate(NatBackend.class, loader);
            if (drivers.isEmpty() && backends.isEmpty()) {
                throw new PluginRejected("it provides no network driver or NAT backend: list its classes in "
                        + "META-INF/services/" + NetworkDriver.class.getName() + " or " + NatBackend.class.getName());
            }
            return new LoadedPlugin(jar, drivers, backends);
        } catch (PluginRejected e) {
            close(loader);
            throw e;
        }
    }

    private static <T> List<T> instantiate(Class<T> type, ClassLoader loader) throws PluginRejected {
        List<T> found = new ArrayList<>();
        try {
            for (T service : ServiceLoader.load(type, loader)) {
                found.add(service);
            }
        } catch (ServiceConfigurationError e) {
            throw new PluginRejected("its " + type.getSimpleName() + " cannot be loaded: " + e.getMessage(), e);
        } catch (NoClassDefFoundError e) {
            throw new PluginRejected("it uses " + e.getMessage().replace('/', '.')
                    + ", which is neither in the jar nor in runtime-api: plugins may depend on runtime-api only", e);
        } catch (LinkageError e) {
            throw new PluginRejected("it does not link against this ctrnet's runtime-api (" + e
                    + "): rebuild it against this version", e);
        } catch (RuntimeException e) {
            throw new PluginRejected("its " + type.getSimpleName() + " failed while starting: " + e, e);
        }
        return found;
    }

    private static URL url(PluginJar jar) throws PluginRejected {
        try {
            return jar.path().toUri().toURL();
        } catch (MalformedURLException e) {
            throw new PluginRejected("its path cannot be turned into a URL (" + e.getMessage() + ")", e);
        }
    }

    private static void close(URLClassLoader loader) {
        try {
            loader.close();
        } catch (IOException e) {
            // nothing was loaded from it that anyone keeps; the file handle goes with the loader
        }
    }
}
