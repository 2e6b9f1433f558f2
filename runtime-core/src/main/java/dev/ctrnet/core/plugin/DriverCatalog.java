package dev.ctrnet.core.plugin;

import dev.ctrnet.api.NatBackend;
import dev.ctrnet.api.Names;
import dev.ctrnet.api.NetworkDriver;
import dev.ctrnet.api.UserInput;
import dev.ctrnet.core.CtrnetException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * The network drivers and NAT backends found with {@link ServiceLoader}, each with where it came
 * from: first the built-in ones (the runtime's class path), then the plugin jars of a
 * {@link PluginDirectory}. The core never names a concrete driver: whatever is found is what exists.
 *
 * <p>A plugin that cannot be used (unsafe permissions, wrong SPI version, broken jar, a name already
 * taken) is skipped whole and described by one line in {@link #problems()}; the others still load.
 */
public final class DriverCatalog {
    /**
     * A found service and where it came from.
     *
     * @param service the instance
     * @param origin the jar or folder its class was loaded from
     */
    public record Entry<T>(T service, String origin) {}

    /** Names {@code --nat} gives a meaning of its own, which no backend may take. */
    private static final List<String> RESERVED_BACKEND_NAMES = List.of("auto");

    private final Map<String, Entry<NetworkDriver>> drivers = new LinkedHashMap<>();
    private final Map<String, Entry<NatBackend>> backends = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();

    private DriverCatalog() {}

    /** Everything found through {@code loaders}, in order; when two provide one name, the first keeps it. */
    public static DriverCatalog load(List<ClassLoader> loaders) {
        DriverCatalog catalog = new DriverCatalog();
        loaders.forEach(catalog::addBuiltIn);
        return catalog;
    }

    /**
     * The services of {@code builtIn}, then those of each jar in {@code plugins}, by file name.
     *
     * @throws CtrnetException when a folder named by the user does not exist
     */
    public static DriverCatalog load(ClassLoader builtIn, PluginDirectory plugins) {
        DriverCatalog catalog = load(List.of(builtIn));
        List<Path> jars = plugins.jars();
        if (jars.isEmpty()) {
            return catalog;
        }
        try {
            RootOnlyWritable.check(plugins.path(), "folder");
        } catch (PluginRejected e) {
            catalog.problems.add("plugin folder " + plugins.path() + ": " + e.getMessage()
                    + "; none of its plugins were loaded");
            return catalog;
        }
        PluginLoader loader = new PluginLoader(builtIn);
        for (Path jar : jars) {
            try {
                RootOnlyWritable.check(jar, "jar");
                catalog.addPlugin(loader.load(PluginJar.read(jar)));
            } catch (PluginRejected e) {
                catalog.problems.add("plugin " + jar + ": " + e.getMessage());
            }
        }
        return catalog;
    }

    /** The drivers, in the order found. */
    public List<Entry<NetworkDriver>> drivers() {
        return List.copyOf(drivers.values());
    }

    /** The NAT backends, in the order found. */
    public List<Entry<NatBackend>> backends() {
        return List.copyOf(backends.values());
    }

    /** One sentence per service or plugin that could not be loaded, for {@code ctrnet: } lines. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** The driver named {@code name}, if found. */
    public Optional<NetworkDriver> driver(String name) {
        return Optional.ofNullable(drivers.get(name)).map(Entry::service);
    }

    /** The driver named {@code name}, or a sentence listing those there are. */
    public NetworkDriver requireDriver(String name) {
        return driver(name).orElseThrow(() -> new CtrnetException("unknown network driver " + UserInput.quote(name)
                + "; available: " + String.join(", ", drivers.keySet()) + " (see ctrnet drivers)" + problemNote()));
    }

    /** The backend named {@code name}, if found. */
    public Optional<NatBackend> backend(String name) {
        return Optional.ofNullable(backends.get(name)).map(Entry::service);
    }

    /** The backend named {@code name}, or a sentence listing those there are. */
    public NatBackend requireBackend(String name) {
        return backend(name).orElseThrow(() -> new CtrnetException("unknown NAT backend " + UserInput.quote(name)
                + "; available: " + String.join(", ", backends.keySet()) + " (see ctrnet drivers)" + problemNote()));
    }

    /** When a plugin was skipped, the missing name may be its: say so where the user looks. */
    private String problemNote() {
        return problems.isEmpty() ? "" : "; some plugins were not loaded: " + String.join("; ", problems);
    }

    private void addBuiltIn(ClassLoader loader) {
        collect(NetworkDriver.class, loader, NetworkDriver::name, drivers);
        collect(NatBackend.class, loader, NatBackend::name, backends);
    }

    private <T> void collect(Class<T> type, ClassLoader loader, Function<T, String> name, Map<String, Entry<T>> into) {
        var it = ServiceLoader.load(type, loader).stream().iterator();
        while (it.hasNext()) {
            try {
                ServiceLoader.Provider<T> provider = it.next();
                T service = provider.get();
                into.putIfAbsent(name.apply(service), new Entry<>(service, origin(provider.type())));
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                problems.add(type.getSimpleName() + " could not be loaded: " + e.getMessage());
            }
        }
    }

    /** Adds every service of {@code plugin}, or none when one of its names is taken or unusable. */
    private void addPlugin(LoadedPlugin plugin) throws PluginRejected {
        Map<String, NetworkDriver> newDrivers = names(plugin.drivers(), NetworkDriver::name, "network driver", drivers);
        Map<String, NatBackend> newBackends = names(plugin.backends(), NatBackend::name, "NAT backend", backends);
        for (String reserved : RESERVED_BACKEND_NAMES) {
            if (newBackends.containsKey(reserved)) {
                throw new PluginRejected("its NAT backend is named '" + reserved
                        + "', which --nat reserves: rename the backend");
            }
        }
        String origin = plugin.jar().path().toString();
        newDrivers.forEach((n, d) -> drivers.put(n, new Entry<>(d, origin)));
        newBackends.forEach((n, b) -> backends.put(n, new Entry<>(b, origin)));
    }

    private static <T> Map<String, T> names(List<T> services, Function<T, String> name, String what,
            Map<String, Entry<T>> taken) throws PluginRejected {
        Map<String, T> byName = new LinkedHashMap<>();
        for (T service : services) {
            String n;
            try {
                n = name.apply(service);
            } catch (RuntimeException e) {
                throw new PluginRejected("its " + what + " " + service.getClass().getName() + " failed to say its name: " + e, e);
            }
            try {
                Names.requireDriverName(n, what); // users type it after --driver or --nat, and it is printed
            } catch (IllegalArgumentException e) {
                throw new PluginRejected("its " + what + " " + service.getClass().getName() + " has a name ctrnet"
                        + " cannot use: " + e.getMessage(), e);
            }
            Entry<T> holder = taken.get(n);
            if (holder != null) {
                throw new PluginRejected("its " + what + " " + UserInput.quote(n) + " is already provided by " + holder.origin()
                        + ": remove one of the two, or rename the plugin's " + what);
            }
            if (byName.put(n, service) != null) {
                throw new PluginRejected("it provides two " + what + "s named " + UserInput.quote(n));
            }
        }
        return byName;
    }

    private static String origin(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null) {
            return "built in";
        }
        try {
            return Path.of(source.getLocation().toURI()).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return source.getLocation().toString();
        }
    }
}
