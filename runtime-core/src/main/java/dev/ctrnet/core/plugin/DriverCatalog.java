package dev.ctrnet.core.plugin;

import dev.ctrnet.api.NatBackend;
import dev.ctrnet.api.NetworkDriver;
import dev.ctrnet.core.CtrnetException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * The network drivers and NAT backends found with {@link ServiceLoader}, each with where it came
 * from. The core never names a concrete driver: whatever is on the class path or in a plugin jar is
 * what exists. When two provide the same name, the first found keeps it.
 */
public final class DriverCatalog {
    /**
     * A found service and where it came from.
     *
     * @param service the instance
     * @param origin the jar or folder its class was loaded from
     */
    public record Entry<T>(T service, String origin) {}

    private final Map<String, Entry<NetworkDriver>> drivers;
    private final Map<String, Entry<NatBackend>> backends;
    private final List<String> problems;

    private DriverCatalog(Map<String, Entry<NetworkDriver>> drivers, Map<String, Entry<NatBackend>> backends,
            List<String> problems) {
        this.drivers = drivers;
        this.backends = backends;
        this.problems = problems;
    }

    /** Everything found through {@code loaders}, in order. */
    public static DriverCatalog load(List<ClassLoader> loaders) {
        List<String> problems = new ArrayList<>();
        Map<String, Entry<NetworkDriver>> drivers = new LinkedHashMap<>();
        Map<String, Entry<NatBackend>> backends = new LinkedHashMap<>();
        for (ClassLoader loader : loaders) {
            collect(NetworkDriver.class, loader, NetworkDriver::name, drivers, problems);
            collect(NatBackend.class, loader, NatBackend::name, backends, problems);
        }
        return new DriverCatalog(drivers, backends, List.copyOf(problems));
    }

    /** The drivers, by name. */
    public List<Entry<NetworkDriver>> drivers() {
        return List.copyOf(drivers.values());
    }

    /** The NAT backends, by name. */
    public List<Entry<NatBackend>> backends() {
        return List.copyOf(backends.values());
    }

    /** Sentences about services that could not be loaded. */
    public List<String> problems() {
        return problems;
    }

    /** The driver named {@code name}, if found. */
    public Optional<NetworkDriver> driver(String name) {
        return Optional.ofNullable(drivers.get(name)).map(Entry::service);
    }

    /** The driver named {@code name}, or a sentence listing those there are. */
    public NetworkDriver requireDriver(String name) {
        return driver(name).orElseThrow(() -> new CtrnetException("unknown network driver '" + name
                + "'; available: " + String.join(", ", drivers.keySet()) + " (see ctrnet drivers)"));
    }

    /** The backend named {@code name}, if found. */
    public Optional<NatBackend> backend(String name) {
        return Optional.ofNullable(backends.get(name)).map(Entry::service);
    }

    /** The backend named {@code name}, or a sentence listing those there are. */
    public NatBackend requireBackend(String name) {
        return backend(name).orElseThrow(() -> new CtrnetException("unknown NAT backend '" + name
                + "'; available: " + String.join(", ", backends.keySet()) + " (see ctrnet drivers)"));
    }

    private static <T> void collect(Class<T> type, ClassLoader loader, Function<T, String> name,
            Map<String, Entry<T>> into, List<String> problems) {
        var it = ServiceLoader.load(type, loader).stream().iterator();
        while (it.hasNext()) {
            try {
                ServiceLoader.Provider<T> provider = it.next();
                T service = provider.get();
                into.putIfAbsent(name.apply(service), new Entry<>(service, origin(provider.type())));
            } catch (java.util.ServiceConfigurationError | RuntimeException | LinkageError e) {
                problems.add(type.getSimpleName() + " could not be loaded: " + e.getMessage());
            }
        }
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
