package dev.ctrnet.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.NetworkDriver;
import dev.ctrnet.api.SpiVersion;
import dev.ctrnet.core.CtrnetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading plugin jars from a folder: good ones load with their origin and version, and each kind of
 * bad one is skipped with one line that names it, without stopping the others.
 */
class PluginLoadingTest {
    private static final ClassLoader BUILT_IN = PluginLoadingTest.class.getClassLoader();

    @TempDir
    Path work;
    Path dir;
    PluginJars jars;

    /** The SPI this runtime has, one from a later major, one from a later minor of the same major. */
    private static final String CURRENT = SpiVersion.string();
    private static final String FUTURE = (SpiVersion.MAJOR + 1) + ".0";
    private static final String NEWER = SpiVersion.MAJOR + "." + (SpiVersion.MINOR + 99);

    @BeforeEach
    void folder() throws IOException {
        dir = Files.createDirectory(work.resolve("plugins"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        jars = new PluginJars(Files.createDirectory(work.resolve("build")));
    }

    @Test
    void loadsDriversAndBackendsWithTheirOriginAndVersion() throws IOException {
        Path driver = jars.driver(dir, "good-driver.jar", "gooddrv", CURRENT);
        Path backend = jars.backend(dir, "good-nat.jar", "goodnat", CURRENT);

        DriverCatalog catalog = load();

        assertEquals(List.of(), catalog.problems());
        DriverCatalog.Entry<NetworkDriver> entry = catalog.drivers().stream()
                .filter(e -> e.service().name().equals("gooddrv")).findFirst().orElseThrow();
        assertEquals(driver.toString(), entry.origin());
        assertEquals("7.1", entry.service().version());
        assertTrue(catalog.backend("goodnat").isPresent());
        assertEquals(backend.toString(), catalog.backends().stream()
                .filter(e -> e.service().name().equals("goodnat")).findFirst().orElseThrow().origin());
        assertTrue(catalog.driver("bridge").isPresent(), "the built-in drivers are still there");
    }

    @Test
    void aPluginSeesOnlyTheSpiOfTheRuntime() throws Exception {
        jars.driver(dir, "good.jar", "gooddrv", CURRENT);
        NetworkDriver driver = load().requireDriver("gooddrv");
        ClassLoader parent = driver.getClass().getClassLoader().getParent();
        assertThrows(ClassNotFoundException.class, () -> parent.loadClass(CtrnetException.class.getName()));
        assertEquals(NetworkDriver.class, parent.loadClass(NetworkDriver.class.getName()));
    }

    @Test
    void aWrongSpiVersionIsNamed() throws IOException {
        jars.driver(dir, "good.jar", "gooddrv", CURRENT);
        jars.driver(dir, "future.jar", "futuredrv", FUTURE);
        jars.driver(dir, "newer.jar", "newerdrv", NEWER);

        DriverCatalog catalog = load();

        assertOnlyGoodLoaded(catalog, "gooddrv", "futuredrv", "newerdrv");
        assertProblem(catalog, "plugin " + dir.resolve("future.jar") + ": it was built for SPI " + FUTURE
                + " and this ctrnet has SPI " + CURRENT);
        assertProblem(catalog, "plugin " + dir.resolve("newer.jar") + ": it needs SPI " + NEWER);
    }

    @Test
    void aMissingSpiVersionIsNamed() throws IOException {
        jars.driver(dir, "good.jar", "gooddrv", CURRENT);
        jars.driver(dir, "unversioned.jar", "plaindrv", null);

        DriverCatalog catalog = load();

        assertOnlyGoodLoaded(catalog, "gooddrv", "plaindrv");
        assertProblem(catalog, "plugin " + dir.resolve("unversioned.jar") + ": its manifest declares no Ctrnet-Spi-Version");
    }

    @Test
    void aBrokenJarIsNamed() throws IOException {
        jars.driver(dir, "good.jar", "gooddrv", CURRENT);
        Path broken = dir.resolve("broken.jar");
        Files.write(broken, new byte[] {'P', 'K', 3, 4, 42, 42, 42});
        Files.setPosixFilePermissions(broken, PosixFilePermissions.fromString("rw-r--r--"));

        DriverCatalog catalog = load();

        assertOnlyGoodLoaded(catalog, "gooddrv");
        assertProblem(catalog, "plugin " + broken + ": it cannot be read as a jar");
    }

    @Test
    void aServiceFileNamingAMissingClassIsNamed() throws IOException {
        jars.driver(dir, "good.jar", "gooddrv", CURRENT);
        jars.jar(dir, "hollow.jar", Map.of(), Map.of(NetworkDriver.class.getName(), "example.Absent"), CURRENT);

        DriverCatalog catalog = load();

        assertOnlyGoodLoaded(catalog, "gooddrv");
        assertProblem(catalog, "plugin " + dir.resolve("hollow.jar") + ": its NetworkDriver cannot be loaded");
    }

    @Test
    void aJarWithoutServicesIsNamed() throws IOException {
        jars.jar(dir, "empty.jar", Map.of(), Map.of(), CURRENT);

        assertProblem(load(), "plugin " + dir.resolve("empty.jar") + ": it provides no network driver or NAT backend");
    }

    @Test
    void aDriverNameAlreadyTakenIsNamedAndTheFirstKeepsIt() throws IOException {
        Path first = jars.driver(dir, "a-first.jar", "twin", CURRENT);
        jars.driver(dir, "b-second.jar", "twin", CURRENT);
        jars.driver(dir, "c-bridge.jar", "bridge", CURRENT);
        jars.driver(dir, "d-good.jar", "gooddrv", CURRENT);

        DriverCatalog catalog = load();

        assertEquals(first.toString(), catalog.drivers().stream()
                .filter(e -> e.service().name().equals("twin")).findFirst().orElseThrow().origin());
        assertTrue(catalog.driver("gooddrv").isPresent());
        assertTrue(catalog.drivers().stream().filter(e -> e.service().name().equals("bridge"))
                .noneMatch(e -> e.origin().endsWith("c-bridge.jar")));
        assertProblem(catalog, "plugin " + dir.resolve("b-second.jar") + ": its network driver 'twin' is already provided by " + first);
        assertProblem(catalog, "plugin " + dir.resolve("c-bridge.jar") + ": its network driver 'bridge' is already provided by ");
    }

    @Test
    void aBackendNamedAutoIsRefused() throws IOException {
        jars.backend(dir, "auto.jar", "auto", CURRENT);

        assertProblem(load(), "plugin " + dir.resolve("auto.jar") + ": its NAT backend is named 'auto'");
    }

    @Test
    void aWorldWritableJarIsRefused() throws IOException {
        jars.driver(dir, "good.jar", "gooddrv", CURRENT);
        Path open = jars.driver(dir, "open.jar", "opendrv", CURRENT);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-rw-rw-"));

        DriverCatalog catalog = load();

        assertOnlyGoodLoaded(catalog, "gooddrv", "opendrv");
        assertProblem(catalog, "plugin " + open + ": the jar is writable by every user (rw-rw-rw-) and plugins run as root");
    }

    @Test
    void aGroupWritableJarIsRefused() throws IOException {
        Path open = jars.driver(dir, "group.jar", "groupdrv", CURRENT);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-rw-r--"));

        assertProblem(load(), "plugin " + open + ": the jar is writable by its group");
    }

    @Test
    void aJarOwnedBySomeoneElseIsRefused() throws IOException {
        jars.driver(dir, "good.jar", "gooddrv", CURRENT);
        Path theirs = jars.driver(dir, "theirs.jar", "theirdrv", CURRENT);
        Files.setAttribute(theirs, "unix:uid", 65534);

        DriverCatalog catalog = load();

        assertOnlyGoodLoaded(catalog, "gooddrv", "theirdrv");
        assertProblem(catalog, "plugin " + theirs + ": the jar belongs to uid 65534");
    }

    @Test
    void aWorldWritableFolderLoadsNothingAndSaysWhy() throws IOException {
        jars.driver(dir, "good.jar", "gooddrv", CURRENT);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));

        DriverCatalog catalog = load();

        assertTrue(catalog.driver("gooddrv").isEmpty());
        assertTrue(catalog.driver("bridge").isPresent(), "the built-in drivers still load");
        assertProblem(catalog, "plugin folder " + dir + ": the folder is writable by every user (rwxrwxrwx)");
        assertTrue(assertThrows(CtrnetException.class, () -> catalog.requireDriver("gooddrv")).getMessage()
                .contains("some plugins were not loaded: plugin folder " + dir));
    }

    @Test
    void aMissingNamedFolderIsAnErrorAndAMissingDefaultOneIsNoPlugins() {
        Path missing = work.resolve("nowhere");
        CtrnetException e = assertThrows(CtrnetException.class,
                () -> DriverCatalog.load(BUILT_IN, PluginDirectory.named(missing)));
        assertEquals("plugin folder " + missing + " does not exist: create it or drop --plugin-dir", e.getMessage());

        DriverCatalog catalog = DriverCatalog.load(BUILT_IN, PluginDirectory.standard(missing));
        assertEquals(List.of(), catalog.problems());
        assertTrue(catalog.driver("bridge").isPresent());
    }

    private DriverCatalog load() {
        return DriverCatalog.load(BUILT_IN, PluginDirectory.named(dir));
    }

    private static void assertOnlyGoodLoaded(DriverCatalog catalog, String good, String... bad) {
        assertTrue(catalog.driver(good).isPresent(), good + " loads: " + catalog.problems());
        for (String b : bad) {
            assertTrue(catalog.driver(b).isEmpty(), b + " is not loaded");
        }
    }

    private static void assertProblem(DriverCatalog catalog, String start) {
        assertTrue(catalog.problems().stream().anyMatch(p -> p.startsWith(start)),
                "a problem starting with \"" + start + "\" in " + catalog.problems());
    }
}
