package dev.ctrnet.core.plugin;

import dev.ctrnet.api.NatBackend;
import dev.ctrnet.api.Names;
import dev.ctrnet.api.NetworkDriver;
import dev.ctrnet.api.NetworkSpec;
import dev.ctrnet.api.UserInput;
import dev.ctrnet.core.CtrnetException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The network drivers and NAT backends found with {@link ServiceLoader}, each with where it came
 * from: first the built-in ones (the runtime's class path), then the plugin jars of a
 * {@link PluginDirectory}. The core never names a concrete driver: whatever is found is what exists.
 *
 * <p>A plugin that cannot be used (unsafe permissions, wrong SPI version, broken jar, a name already
 * taken) is skipped whole and described by one line in {@link #problems()}; the others still load.
 * Plugins run as root, so none of a plugin's code runs before it has passed every check that can be
 * made without running it: the folders and the jar are opened and checked once ({@link TrustedPath})
 * and the classes come from the bytes that were checked; a name the plugin declares
 * ({@link dev.ctrnet.api.ServiceName}) is checked before its classes are initialized.
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
    /** The built-in networks by scope: asked of the drivers once. */
    private final Map<String, Map<String, NetworkSpec>> builtInNetworks = new ConcurrentHashMap<>();

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
        return load(builtIn, plugins, jar -> {});
    }

    /**
     * As {@link #load(ClassLoader, PluginDirectory)}; {@code afterCheck} is handed each jar's path once
     * its open file has passed the checks and before a byte of it is read, where tests swap files.
     */
    static DriverCatalog load(ClassLoader builtIn, PluginDirectory plugins, Consumer<Path> afterCheck) {
        DriverCatalog catalog = load(List.of(builtIn));
        if (!plugins.hasJars()) {
            return catalog;
        }
        // from here on the folder is only used through this descriptor: its path is never looked up again
        try (OpenFile folder = TrustedPath.folder(plugins.path())) {
            PluginLoader loader = new PluginLoader(builtIn);
            for (String name : jarNames(folder)) {
                Path path = plugins.path().resolve(name);
                try {
                    byte[] bytes;
                    try (OpenFile jar = TrustedPath.jar(folder, name)) {
                        afterCheck.accept(path);
                        bytes = read(jar);
                    }
                    catalog.addPlugin(loader.load(PluginJar.read(path, bytes)));
                } catch (PluginRejected e) {
                    catalog.problems.add("plugin " + path + ": " + e.getMessage());
                }
            }
        } catch (PluginRejected e) {
            catalog.problems.add("plugin folder " + plugins.path() + ": " + e.getMessage()
                    + "; none of its plugins were loaded");
        }
        return catalog;
    }

    private static List<String> jarNames(OpenFile folder) throws PluginRejected {
        try {
            return folder.entries().stream()
                    .filter(e -> e.name().endsWith(".jar") && !e.folder())
                    .map(OpenFile.Entry::name)
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new PluginRejected("it cannot be listed (" + e.getMessage() + ")", e);
        }
    }

    private static byte[] read(OpenFile jar) throws PluginRejected {
        try {
            return jar.readAll(PluginJar.MAX_BYTES);
        } catch (IOException e) {
            throw new PluginRejected("it cannot be read (" + e.getMessage() + ")", e);
        }
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

    /**
     * The networks the drivers declare as existing without being created ({@link NetworkDriver#builtInNetworks}), by
     * name, in the drivers' order; when two declare one name, the first keeps it.
     *
     * @param scope the state root's short name (see {@link NetworkDriver#builtInNetworks})
     * @throws CtrnetException when a driver fails to say, or declares a network of another driver
     */
    public Map<String, NetworkSpec> builtInNetworks(String scope) {
        return builtInNetworks.computeIfAbsent(scope, this::askBuiltInNetworks);
    }

    private Map<String, NetworkSpec> askBuiltInNetworks(String scope) {
        Map<String, NetworkSpec> byName = new LinkedHashMap<>();
        for (Entry<NetworkDriver> entry : drivers.values()) {
            NetworkDriver driver = entry.service();
            List<NetworkSpec> declared;
            try {
                declared = List.copyOf(driver.builtInNetworks(scope));
            } catch (RuntimeException e) {
                throw new CtrnetException("network driver " + driver.name() + " (" + entry.origin()
                        + ") failed to list its built-in networks: " + e, e);
            }
            for (NetworkSpec spec : declared) {
                if (!spec.driver().equals(driver.name())) {
                    throw new CtrnetException("network driver " + driver.name() + " (" + entry.origin()
                            + ") declares built-in network " + spec.name() + " of driver " + spec.driver()
                            + ": a driver declares only its own networks");
                }
                byName.putIfAbsent(spec.name(), spec);
            }
        }
        return Collections.unmodifiableMap(byName);
    }

    /**
     * The backends, most preferred first ({@link NatBackend#preference}), in the order found among equals: the
     * order in which {@code --nat auto} tries them.
     */
    public List<Entry<NatBackend>> backendsByPreference() {
        List<Entry<NatBackend>> ordered = new ArrayList<>(backends.values());
        ordered.sort(Comparator.comparingInt((Entry<NatBackend> e) -> e.service().preference()).reversed());
        return ordered;
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
        BuiltInProviders found = BuiltInProviders.of(loader);
        problems.addAll(found.problems());
        instantiate(found.drivers(), NetworkDriver.class, NetworkDriver::name, drivers);
        instantiate(found.backends(), NatBackend.class, NatBackend::name, backends);
    }

    private <T> void instantiate(List<ServiceLoader.Provider<T>> providers, Class<T> type, Function<T, String> name,
            Map<String, Entry<T>> into) {
        for (ServiceLoader.Provider<T> provider : providers) {
            try {
                T service = provider.get();
                into.putIfAbsent(name.apply(service), new Entry<>(service, origin(provider.type())));
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                problems.add(type.getSimpleName() + " could not be loaded: " + e.getMessage());
            }
        }
    }

    /**
     * The providers a class loader's service files name, and what could not be read of them. Found once and
     * kept for the last loader asked, which for the runtime is always its own: finding them reads every jar's
     * service files (0.7 ms of each command in a warm service), and a class path does not change. Each
     * catalog still makes instances of its own.
     */
    private record BuiltInProviders(ClassLoader loader, List<ServiceLoader.Provider<NetworkDriver>> drivers,
            List<ServiceLoader.Provider<NatBackend>> backends, List<String> problems) {
        private static volatile BuiltInProviders last;

        static BuiltInProviders of(ClassLoader loader) {
            BuiltInProviders known = last;
            if (known == null || known.loader() != loader) {
                List<String> problems = new ArrayList<>();
                known = new BuiltInProviders(loader, find(NetworkDriver.class, loader, problems),
                        find(NatBackend.class, loader, problems), List.copyOf(problems));
                last = known;
            }
            return known;
        }

        private static <T> List<ServiceLoader.Provider<T>> find(Class<T> type, ClassLoader loader, List<String> problems) {
            List<ServiceLoader.Provider<T>> found = new ArrayList<>();
            var it = ServiceLoader.load(type, loader).stream().iterator();
            while (it.hasNext()) {
                try {
                    found.add(it.next());
                } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                    problems.add(type.getSimpleName() + " could not be loaded: " + e.getMessage());
                }
            }
            return List.copyOf(found);
        }
    }

    /**
     * Adds every service of {@code plugin}, or none when one of its names is taken or unusable. Declared
     * names ({@link dev.ctrnet.api.ServiceName}) are checked first, before any of the plugin's code
     * runs; only then are its classes instantiated, which is how the names of classes that declare none
     * (plugins built against SPI 2.0 and 2.1) are learnt.
     */
    private void addPlugin(FoundPlugin plugin) throws PluginRejected {
        Claims<NetworkDriver> newDrivers = new Claims<>("network driver", NetworkDriver::name, drivers, List.of());
        Claims<NatBackend> newBackends = new Claims<>("NAT backend", NatBackend::name, backends, RESERVED_BACKEND_NAMES);
        newDrivers.claimDeclared(plugin.drivers());
        newBackends.claimDeclared(plugin.backends());
        Map<String, NetworkDriver> loadedDrivers = newDrivers.instantiate(plugin.drivers());
        Map<String, NatBackend> loadedBackends = newBackends.instantiate(plugin.backends());
        String origin = plugin.jar().path().toString();
        loadedDrivers.forEach((n, d) -> drivers.put(n, new Entry<>(d, origin)));
        loadedBackends.forEach((n, b) -> backends.put(n, new Entry<>(b, origin)));
    }

    /** The names one plugin takes among the drivers or the backends, checked against those already taken. */
    private static final class Claims<T> {
        private final String what;
        private final Function<T, String> nameOf;
        private final Map<String, Entry<T>> taken;
        private final List<String> reserved;
        private final Set<String> claimed = new HashSet<>();

        Claims(String what, Function<T, String> nameOf, Map<String, Entry<T>> taken, List<String> reserved) {
            this.what = what;
            this.nameOf = nameOf;
            this.taken = taken;
            this.reserved = reserved;
        }

        /** Claims the names the classes declare, without running them. */
        void claimDeclared(List<ServiceCandidate<T>> candidates) throws PluginRejected {
            for (ServiceCandidate<T> candidate : candidates) {
                if (candidate.declaredName().isPresent()) {
                    claim(candidate.declaredName().get(), candidate.className());
                }
            }
        }

        /** Instantiates every class, claims the names of those that declare none, and checks the others keep their word. */
        Map<String, T> instantiate(List<ServiceCandidate<T>> candidates) throws PluginRejected {
            Map<String, T> byName = new LinkedHashMap<>();
            for (ServiceCandidate<T> candidate : candidates) {
                T service = candidate.instantiate();
                String n;
                try {
                    n = nameOf.apply(service);
                } catch (RuntimeException e) {
                    throw new PluginRejected("its " + what + " " + candidate.className() + " failed to say its name: " + e, e);
                }
                if (candidate.declaredName().isEmpty()) {
                    claim(n, candidate.className());
                } else if (!candidate.declaredName().get().equals(n)) {
                    throw new PluginRejected("its " + what + " " + candidate.className() + " declares @ServiceName(\""
                            + candidate.declaredName().get() + "\") but its name() is '" + n + "': make the two agree");
                }
                byName.put(n, service);
            }
            return byName;
        }

        private void claim(String n, String className) throws PluginRejected {
            if (n == null || n.isBlank()) {
                throw new PluginRejected("its " + what + " " + className + " has no name");
            }
            try {
                Names.requireDriverName(n, what); // users type it after --driver or --nat, and it is printed
            } catch (IllegalArgumentException e) {
                throw new PluginRejected("its " + what + " " + className + " has a name ctrnet cannot use: "
                        + e.getMessage(), e);
            }
            Entry<T> holder = taken.get(n);
            if (holder != null) {
                throw new PluginRejected("its " + what + " " + UserInput.quote(n) + " is already provided by " + holder.origin()
                        + ": remove one of the two, or rename the plugin's " + what);
            }
            if (reserved.contains(n)) {
                throw new PluginRejected("its " + what + " is named " + UserInput.quote(n) + ", which --nat reserves: rename the plugin's " + what);
            }
            if (!claimed.add(n)) {
                throw new PluginRejected("it provides two " + what + "s named " + UserInput.quote(n));
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
