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
        String cls = "example." + className(driverName) + "Driver";
        return jar(dir, jarName, Map.of(cls, driverSource(cls, driverName)),
                Map.of(NetworkDriver.class.getName(), cls), spiVersion);
    }

    /** A jar with one NAT backend named {@code backendName}, declaring {@code spiVersion}. */
    Path backend(Path dir, String jarName, String backendName, String spiVersion) throws IOException {
        String cls = "example." + className(backendName) + "Backend";
        return jar(dir, jarName, Map.of(cls, backendSource(cls, backendName)),
                Map.of(NatBackend.class.getName(), cls), spiVersion);
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

    private static String className(String name) {
        return Character.toUpperCase(name.charAt(0)) + name.substring(1).replaceAll("[^A-Za-z0-9]", "");
    }

    static String driverSource(String cls, String name) {
        int dot = cls.lastIndexOf('.');
        return """
                package %s;
                import dev.ctrnet.api.*;
                import dev.ctrnet.api.kernel.Kernel;
                public final class %s implements NetworkDriver {
                    public String name() { return "%s"; }
                    public String version() { return "7.1"; }
                    public Network validate(Network n) { return n; }
                    public void create(Network n, Kernel k) {}
                    public void delete(Network n, Kernel k) {}
                    public Attachment attach(Network n, Endpoint e, Kernel k) { return Attachment.none(); }
                    public void detach(Network n, Endpoint e, Attachment a, Kernel k, boolean going) {}
                }
                """.formatted(cls.substring(0, dot), cls.substring(dot + 1), name);
    }

    private static String backendSource(String cls, String name) {
        int dot = cls.lastIndexOf('.');
        return """
                package %s;
                import dev.ctrnet.api.NatBackend;
                import dev.ctrnet.api.firewall.FirewallPlan;
                import dev.ctrnet.api.kernel.Programs;
                import java.util.Optional;
                public final class %s implements NatBackend {
                    public String name() { return "%s"; }
                    public Optional<String> unavailableReason(Programs p) { return Optional.empty(); }
                    public String render(FirewallPlan plan) { return ""; }
                    public void apply(FirewallPlan plan, Programs p) {}
                    public void remove(String name, Programs p) {}
                }
                """.formatted(cls.substring(0, dot), cls.substring(dot + 1), name);
    }
}
