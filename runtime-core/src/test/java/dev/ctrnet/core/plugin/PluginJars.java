package dev.ctrnet.core.plugin;

import dev.ctrnet.api.NatBackend;
import dev.ctrnet.api.NetworkDriver;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds small plugin jars for tests, the way a third party would: Java sources compiled against
 * runtime-api alone, service files, and a manifest with an SPI version.
 */
final class PluginJars {
    private final Path work;

    PluginJars(Path work) {
        this.work = work;
    }

    /** A jar with one network driver named {@code driverName}, declaring {@code spiVersion}. */
    Path driver(Path dir, String jarName, String driverName, String spiVersion) throws IOException {
        return driver(dir, jarName, driverName, spiVersion, Optional.empty(), Optional.empty());
    }

    /**
     * A jar with one network driver named {@code driverName}, declaring {@code spiVersion}.
     *
     * @param declared the name its class declares with {@code @ServiceName}, if any
     * @param trace a file its static initializer and constructor append to, if they ever run
     */
    Path driver(Path dir, String jarName, String driverName, String spiVersion, Optional<String> declared,
            Optional<Path> trace) throws IOException {
        String cls = "example." + className(jarName) + "Driver";
        return jar(dir, jarName, Map.of(cls, source(cls, NetworkDriver.class, driverName, declared, trace)),
                Map.of(NetworkDriver.class.getName(), cls), spiVersion);
    }

    /** A jar with one NAT backend named {@code backendName}, declaring {@code spiVersion}. */
    Path backend(Path dir, String jarName, String backendName, String spiVersion) throws IOException {
        return backend(dir, jarName, backendName, spiVersion, Optional.empty(), Optional.empty());
    }

    /** A jar with one NAT backend, as {@link #driver(Path, String, String, String, Optional, Optional)}. */
    Path backend(Path dir, String jarName, String backendName, String spiVersion, Optional<String> declared,
            Optional<Path> trace) throws IOException {
        String cls = "example." + className(jarName) + "Backend";
        return jar(dir, jarName, Map.of(cls, source(cls, NatBackend.class, backendName, declared, trace)),
                Map.of(NatBackend.class.getName(), cls), spiVersion);
    }

    /**
     * A jar declaring this runtime's SPI with one driver or backend ({@code service}) named {@code name}, whose class
     * also has {@code members} (Java source, e.g. a method overriding a default of the SPI).
     */
    Path with(Path dir, String jarName, Class<?> service, String name, String members) throws IOException {
        String cls = "example." + className(jarName) + service.getSimpleName();
        return jar(dir, jarName, Map.of(cls, source(cls, service, name, Optional.empty(), Optional.empty(), members)),
                Map.of(service.getName(), cls), dev.ctrnet.api.SpiVersion.string());
    }

    /** A jar from the given sources and service files (interface name to provider class). */
    Path jar(Path dir, String jarName, Map<String, String> sources, Map<String, String> services, String spiVersion)
            throws IOException {
        Path src = Files.createTempDirectory(work, "src");
        Path classes = Files.createTempDirectory(work, "classes");
        List<String> files = new ArrayList<>();
        for (var e : sources.entrySet()) {
            Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
            files.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", apiClassPath()));
        args.addAll(files);
        if (!files.isEmpty() && javac.run(null, null, null, args.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("the test plugin does not compile");
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, VERSION);
        if (spiVersion != null) {
            manifest.getMainAttributes().putValue(PluginJar.SPI_VERSION_ATTRIBUTE, spiVersion);
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        services.forEach((iface, impl) -> entries.put("META-INF/services/" + iface, (impl + "\n").getBytes(StandardCharsets.UTF_8)));
        try (var walk = Files.walk(classes)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                entries.put(classes.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        Path jar = dir.resolve(jarName);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out, manifest)) {
            for (var e : entries.entrySet()) {
                zip.putNextEntry(new JarEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        return jar;
    }

    /** Where runtime-api's classes are, as a third party compiles against them. */
    static String apiClassPath() {
        try {
            return Path.of(NetworkDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String className(String jarName) {
        String name = jarName.replaceFirst("\\.jar$", "").replaceAll("[^A-Za-z0-9]", "");
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    /** What every test plugin's manifest gives as its Implementation-Version, which its version() reads. */
    static final String VERSION = "7.1";

    private static final String DRIVER_METHODS = """
                public Network validate(Network n) { return n; }
                public void create(Network n, Kernel k) {}
                public void delete(Network n, Kernel k) {}
                public Attachment attach(Network n, Endpoint e, Kernel k) { return Attachment.none(); }
                public void detach(Network n, Endpoint e, Attachment a, Kernel k, boolean going) {}
            """;

    private static final String BACKEND_METHODS = """
                public Optional<String> unavailableReason(Programs p) { return Optional.empty(); }
                public String render(FirewallPlan plan) { return ""; }
                public void apply(FirewallPlan plan, Programs p) {}
                public void remove(String name, Programs p) {}
            """;

    /**
     * The source of a {@link NetworkDriver} or {@link NatBackend} class named {@code name}, whose version() is
     * its jar's Implementation-Version, as a jar's class loader gives it.
     *
     * @param declared the name it declares with {@code @ServiceName}, if any
     * @param trace a file its static initializer and constructor append to, if they ever run
     */
    static String source(String cls, Class<?> service, String name, Optional<String> declared, Optional<Path> trace) {
        return source(cls, service, name, declared, trace, "");
    }

    /** As {@link #source(String, Class, String, Optional, Optional)}, the class also having {@code members}. */
    static String source(String cls, Class<?> service, String name, Optional<String> declared, Optional<Path> trace,
            String members) {
        String methods = service == NetworkDriver.class ? DRIVER_METHODS : BACKEND_METHODS;
        int dot = cls.lastIndexOf('.');
        String simple = cls.substring(dot + 1);
        String traced = trace.map(t -> """
                    static { leaveTrace("static initializer"); }
                    public %s() { leaveTrace("constructor"); }
                    private static void leaveTrace(String what) {
                        try {
                            java.nio.file.Files.writeString(java.nio.file.Path.of("%s"), what + "\\n",
                                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                """.formatted(simple, t)).orElse("");
        return """
                package %s;
                import dev.ctrnet.api.*;
                import dev.ctrnet.api.firewall.FirewallPlan;
                import dev.ctrnet.api.kernel.Kernel;
                import dev.ctrnet.api.kernel.Programs;
                import java.util.List;
                import java.util.Map;
                import java.util.Optional;
                %s
                public final class %s implements %s {
                %s
                    public String name() { return "%s"; }
                    public String version() { return getClass().getPackage().getImplementationVersion(); }
                %s
                %s
                }
                """.formatted(cls.substring(0, dot), declared.map(d -> "@ServiceName(\"" + d + "\")").orElse(""),
                simple, service.getSimpleName(), traced, name, methods, members);
    }
}
