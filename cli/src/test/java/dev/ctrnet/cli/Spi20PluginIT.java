package dev.ctrnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.testing.Privileged;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A driver jar built against SPI 2.0 keeps loading and working: compiled here against runtime-api's 2.0 sources
 * (test resources {@code spi-2.0/}, see its README), jarred without them with {@code Ctrnet-Spi-Version: 2.0}, dropped in a plugin
 * folder and used through {@code bin/ctrnet} as its author's own test would: a network made, a container attached
 * and reaching its gateway and the outside world, a second container connected and disconnected, everything removed
 * and nothing left.
 */
@Privileged
class Spi20PluginIT {
    private static final Path WORK = Path.of("/run/ctrnet-test/spi20-plugin-it");
    private static final Path SOURCES = Ctrnet.REPO.resolve("cli/src/test/resources/spi-2.0");

    @BeforeAll
    static void host() {
        TestHost.ensure();
    }

    @Test
    void aDriverBuiltAgainstSpi20CreatesAttachesDetachesAndDeletes() throws IOException {
        Path plugins = Files.createDirectories(WORK.resolve("plugins"));
        Files.setPosixFilePermissions(plugins, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = buildDriver(plugins.resolve("legacy-driver.jar"));
        Ctrnet ctrnet = new Ctrnet(WORK.resolve("root"), "--plugin-dir", plugins.toString());
        try {
            Shell.Result drivers = ctrnet.run("drivers").ok();
            assertEquals("", drivers.err(), "no plugin refused");
            assertTrue(drivers.out().lines().anyMatch(l -> l.matches("driver\\s+legacy\\s+.*" + jar)), drivers.out());

            ctrnet.ok("network", "create", "--driver", "legacy", "--subnet", "10.67.0.0/24", "legacy20");
            String bridge = (String) Json.object(ctrnet.ok("network", "inspect", "legacy20")).get("bridge");
            assertTrue(bridge.startsWith("lg"), "the driver named the bridge: " + bridge);
            assertEquals(0, Shell.run(List.of("ip", "link", "show", bridge)).exit(), "the bridge exists");

            ctrnet.ok("run", "-d", "--name", "old1", "--network", "legacy20", "--", "sleep", "300");
            assertEquals("10.67.0.2", ctrnet.inspect("old1").get("ip"));
            ctrnet.ok("exec", "old1", "--", "ping", "-c1", "-W5", "10.67.0.1");
            ctrnet.ok("exec", "old1", "--", "ping", "-c1", "-W5", TestHost.OUTSIDE_IP);
            assertEquals(1, ports(bridge), "old1's cable is on the bridge");

            ctrnet.ok("run", "-d", "--name", "old2", "--network", "none", "--", "sleep", "300");
            ctrnet.ok("network", "connect", "legacy20", "old2");
            ctrnet.ok("exec", "old2", "--", "ping", "-c1", "-W5", "10.67.0.2");
            assertEquals(2, ports(bridge));
            ctrnet.ok("network", "disconnect", "legacy20", "old2");
            assertEquals(1, ports(bridge), "the driver removed old2's cable while old2 runs on");
            assertEquals(List.of("lo"), Json.array(ctrnet.ok("exec", "old2", "--", "ip", "-j", "link", "show")).stream()
                    .map(l -> l.get("ifname")).toList(), "and its end inside old2 with it");

            ctrnet.ok("rm", "-f", "old1", "old2");
            ctrnet.ok("network", "rm", "legacy20");
            Leftovers.assertNoNetwork(ctrnet, "legacy20", bridge);
            assertEquals(List.of(), Json.array(ctrnet.ok("ps", "-a", "--format", "json")), "no container left");
        } finally {
            ctrnet.removeEverything();
        }
    }

    /** The ports of {@code bridge}, as the kernel lists them; a port goes as its veth's deletion completes. */
    private static int ports(String bridge) {
        return Json.array(Shell.run(List.of("ip", "-j", "link", "show", "master", bridge)).ok().out()).size();
    }

    /**
     * Compiles the driver against runtime-api's 2.0 sources, and jars its classes and service file alone, declaring
     * SPI 2.0, at {@code jar}: what its author shipped when 2.0 was current.
     */
    private static Path buildDriver(Path jar) throws IOException {
        Path classes = Files.createDirectories(WORK.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("--release", "17", "-proc:none", "-nowarn", "-d", classes.toString()));
        Path api = Files.createDirectories(WORK.resolve("api-2.0"));
        args.addAll(unzip(SOURCES.resolve("runtime-api-2.0-sources.zip"), api));
        String version = Files.readString(api.resolve("runtime-api/src/main/java/dev/ctrnet/api/SpiVersion.java"));
        assertTrue(version.contains("MAJOR = 2;") && version.contains("MINOR = 0;"), "the sources are SPI 2.0's");
        try (Stream<Path> files = Files.walk(SOURCES.resolve("driver"))) {
            files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).forEach(args::add);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac.run(null, null, null, args.toArray(String[]::new)) != 0) {
            throw new AssertionError("the SPI 2.0 driver does not compile against the 2.0 sources (see above)");
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Ctrnet-Spi-Version", "2.0");
        Path driver = SOURCES.resolve("driver");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out, manifest);
                Stream<Path> services = Files.walk(driver.resolve("META-INF"));
                Stream<Path> compiled = Files.walk(classes.resolve("example"))) {
            for (Path f : services.filter(Files::isRegularFile).toList()) {
                add(zip, driver.relativize(f), f);
            }
            for (Path f : compiled.filter(Files::isRegularFile).toList()) {
                add(zip, classes.relativize(f), f);
            }
        }
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        return jar;
    }

    /** Unpacks the Java sources of {@code zip} into {@code folder}, and lists them. */
    private static List<String> unzip(Path zip, Path folder) throws IOException {
        List<String> sources = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.getName().endsWith(".java")) {
                    Path file = folder.resolve(e.getName()).normalize();
                    Files.createDirectories(file.getParent());
                    Files.write(file, in.readAllBytes());
                    sources.add(file.toString());
                }
            }
        }
        return sources;
    }

    private static void add(JarOutputStream zip, Path name, Path file) throws IOException {
        zip.putNextEntry(new JarEntry(name.toString()));
        zip.write(Files.readAllBytes(file));
        zip.closeEntry();
    }
}
