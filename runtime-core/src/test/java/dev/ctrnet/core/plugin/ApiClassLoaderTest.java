package dev.ctrnet.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ctrnet.api.NetworkDriver;
import dev.ctrnet.api.SpiVersion;
import dev.ctrnet.core.Runtime;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What a plugin can see of the runtime: runtime-api's packages and the SLF4J API, all of them and nothing else,
 * whatever else the runtime's class path holds (this test's holds the core, the built-in drivers and backends,
 * runtime-api's test kit, whose package starts like the SPI's, and an SLF4J logger).
 */
class ApiClassLoaderTest {
    private static final ClassLoader RUNTIME = ApiClassLoaderTest.class.getClassLoader();
    private final ApiClassLoader api = new ApiClassLoader(RUNTIME);

    @Test
    void theSharedPackagesAreExactlyThoseOfRuntimeApiAndOfTheSlf4jApi() throws Exception {
        assertEquals(new TreeSet<>(packagesBeside(SpiVersion.class)), new TreeSet<>(ApiClassLoader.API_PACKAGES),
                "runtime-api's packages");
        assertEquals(new TreeSet<>(packagesBeside(LoggerFactory.class)), new TreeSet<>(ApiClassLoader.LOGGING_PACKAGES),
                "the SLF4J API's packages");
    }

    @Test
    void everyClassOfRuntimeApiIsTheRuntimesOwn() throws Exception {
        for (String name : classesBeside(SpiVersion.class)) {
            assertSame(RUNTIME.loadClass(name), api.loadClass(name), name);
        }
    }

    @Test
    void nothingElseOfTheRuntimeCanBeLoaded() {
        for (String name : List.of(Runtime.class.getName(), DriverCatalog.class.getName(), ApiClassLoader.class.getName(),
                "dev.ctrnet.driver.bridge.BridgeDriver", "dev.ctrnet.nat.nftables.NftablesBackend",
                "dev.ctrnet.api.testing.Plans", "org.slf4j.simple.SimpleLogger", "com.sun.jna.Native",
                "dev.ctrnet.apix.Anything", "NoPackage")) {
            assertThrows(ClassNotFoundException.class, () -> api.loadClass(name), name);
        }
    }

    @Test
    void theRuntimesServiceFilesDoNotShowThrough() {
        assertNull(api.getResource("META-INF/services/" + NetworkDriver.class.getName()));
    }

    /** The packages of the classes in the jar or folder {@code type} was loaded from. */
    private static Set<String> packagesBeside(Class<?> type) throws Exception {
        Set<String> packages = new HashSet<>();
        for (String name : classesBeside(type)) {
            packages.add(name.substring(0, name.lastIndexOf('.')));
        }
        return packages;
    }

    /** The classes in the jar or folder {@code type} was loaded from, by binary name; none of META-INF's. */
    private static List<String> classesBeside(Class<?> type) throws IOException, URISyntaxException {
        Path where = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> files;
        if (Files.isDirectory(where)) {
            try (Stream<Path> walk = Files.walk(where)) {
                files = walk.filter(Files::isRegularFile).map(p -> where.relativize(p).toString()).toList();
            }
        } else {
            try (JarFile jar = new JarFile(where.toFile())) {
                files = jar.stream().map(e -> e.getName()).toList();
            }
        }
        return files.stream().filter(f -> f.endsWith(".class") && !f.startsWith("META-INF") && !f.endsWith("module-info.class")
                        && !f.endsWith("package-info.class"))
                .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.')).toList();
    }
}
