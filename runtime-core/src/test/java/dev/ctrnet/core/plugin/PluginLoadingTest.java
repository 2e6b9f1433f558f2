package dev.ctrnet.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.NetworkDriver;
import dev.ctrnet.api.SpiVersion;
import dev.ctrnet.api.testing.Privileged;
import dev.ctrnet.core.CtrnetException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading plugin jars from a folder: good ones load with their origin and version, and each kind of
 * bad one is skipped with one line that names it, without stopping the others. Plugins run as root, so
 * the tests also play a user who controls a file or folder on the way to a jar, swaps files while
 * jars load, or names a plugin's driver like a built-in one: the plugin code such a user wrote leaves
 * a trace file if it ever runs, and it never does.
 */
@Privileged
class PluginLoadingTest {
    private static final ClassLoader BUILT_IN = PluginLoadingTest.class.getClassLoader();

    /** Whoever is not root: the owner of files a non-root user could have swapped in. */
    private static final int NOBODY = 65534;

    @TempDir(factory = RootOnlyTempDir.class)
    Path work;
    Path dir;
    Path trace;
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
        trace = work.resolve("trace");
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
        assertEquals(PluginJars.VERSION, entry.service().version(), "the manifest is served from the jar's bytes");
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

    // --- a user who controls something on the way to a jar, or swaps files while jars load ---

    @Test
    void aJarSwappedRightAfterItsCheckIsNotWhatRuns() throws Exception {
        Path jar = jars.driver(dir, "swap.jar", "swapdrv", CURRENT);
        Path evil = evilTwinOf(jar);

        DriverCatalog catalog = DriverCatalog.load(BUILT_IN, PluginDirectory.named(dir), checked -> {
            if (checked.equals(jar)) {
                move(evil, jar);
            }
        });

        assertEquals(NOBODY, Files.getAttribute(jar, "unix:uid"), "the swap happened");
        assertEquals(List.of(), catalog.problems());
        assertTrue(catalog.driver("swapdrv").isPresent(), "the jar that was checked is the one loaded");
        assertNeverRan();
    }

    @Test
    void aFolderSwappedWhileItsJarsLoadIsNotWhereTheRestComeFrom() throws Exception {
        jars.driver(dir, "a.jar", "adrv", CURRENT);
        Path b = jars.driver(dir, "b.jar", "bdrv", CURRENT);
        Path theirs = Files.createDirectory(work.resolve("theirs"));
        Path evil = jars.driver(theirs, "b.jar", "bdrv", CURRENT, Optional.empty(), traced());
        Files.setAttribute(evil, "unix:uid", NOBODY);
        Files.setAttribute(theirs, "unix:uid", NOBODY);

        DriverCatalog catalog = DriverCatalog.load(BUILT_IN, PluginDirectory.named(dir), checked -> {
            if (checked.equals(dir.resolve("a.jar"))) {
                move(dir, work.resolve("old"));
                move(theirs, dir);
            }
        });

        assertEquals(NOBODY, Files.getAttribute(dir, "unix:uid"), "the swap happened");
        assertEquals(List.of(), catalog.problems());
        assertEquals(b.toString(), catalog.drivers().stream()
                .filter(e -> e.service().name().equals("bdrv")).findFirst().orElseThrow().origin());
        assertNeverRan();
    }

    @Test
    void aJarSwappedAsFastAsPossibleWhileLoadingNeverRuns() throws Exception {
        Path jar = jars.driver(dir, "swap.jar", "swapdrv", CURRENT);
        Path good = dir.resolve("good.bin");
        Files.createLink(good, jar);
        Path evil = evilTwinOf(jar);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger swaps = new AtomicInteger();
        Thread swapper = new Thread(() -> {
            Path next = dir.resolve("next.bin");
            for (int i = 0; i < 10_000_000 && !stop.get(); i++) {
                try {
                    Files.createLink(next, i % 2 == 0 ? evil : good);
                    move(next, jar);
                    swaps.incrementAndGet();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }, "swapper");
        swapper.start();
        int loaded = 0;
        int refused = 0;
        try {
            for (int i = 0; i < 200; i++) {
                DriverCatalog catalog = load();
                if (catalog.driver("swapdrv").isPresent()) {
                    assertEquals(List.of(), catalog.problems());
                    loaded++;
                } else {
                    assertEquals(List.of("plugin " + jar + ": the jar belongs to uid " + NOBODY + ", who could change it,"
                            + " and plugins run as root: chown root it"), catalog.problems());
                    refused++;
                }
                assertNeverRan();
            }
        } finally {
            stop.set(true);
            swapper.join();
        }
        assertTrue(swaps.get() >= 200, "the file was swapped while loading (" + swaps + " swaps)");
        assertEquals(200, loaded + refused);
    }

    @Test
    void aFolderOwnedBySomeoneElseLoadsNothing() throws IOException {
        jars.driver(dir, "good.jar", "gooddrv", CURRENT, Optional.empty(), traced());
        Files.setAttribute(dir, "unix:uid", NOBODY);

        DriverCatalog catalog = load();

        assertEquals(List.of("plugin folder " + dir + ": the folder belongs to uid " + NOBODY + ", who could change it,"
                + " and plugins run as root: chown root it; none of its plugins were loaded"), catalog.problems());
        assertTrue(catalog.driver("gooddrv").isEmpty());
        assertNeverRan();
    }

    @Test
    void aFolderAboveThePluginFolderWritableByOthersLoadsNothing() throws IOException {
        jars.driver(dir, "good.jar", "gooddrv", CURRENT, Optional.empty(), traced());
        chmod(work, "rwxrwxrwx");

        DriverCatalog catalog = load();

        assertEquals(List.of("plugin folder " + dir + ": the folder " + work + " on its path is writable by every user"
                + " (rwxrwxrwx) and plugins run as root: chmod go-w it; none of its plugins were loaded"), catalog.problems());
        assertNeverRan();
    }

    @Test
    void aStickyFolderAboveThePluginFolderIsRefusedToo() throws Exception {
        jars.driver(dir, "good.jar", "gooddrv", CURRENT, Optional.empty(), traced());
        chmodOctal(work, "1777");

        DriverCatalog catalog = load();

        assertProblem(catalog, "plugin folder " + dir + ": the folder " + work + " on its path is writable by every user"
                + " (rwxrwxrwt), and plugins run as root; its sticky bit is not enough");
        assertTrue(catalog.driver("gooddrv").isEmpty());
        assertNeverRan();
    }

    @Test
    void aLinkedJarLeadingIntoAFolderOthersCanWriteIsRefused() throws IOException {
        jars.driver(dir, "good.jar", "gooddrv", CURRENT);
        Path open = Files.createDirectory(work.resolve("open"));
        chmod(open, "rwxrwxrwx");
        Path target = jars.driver(open, "real.jar", "linkdrv", CURRENT, Optional.empty(), traced());
        Path link = Files.createSymbolicLink(dir.resolve("link.jar"), target);

        DriverCatalog catalog = load();

        assertOnlyGoodLoaded(catalog, "gooddrv", "linkdrv");
        assertEquals(List.of("plugin " + link + ": the folder " + open + " on its path (through the link " + link + " -> "
                + target + ") is writable by every user (rwxrwxrwx) and plugins run as root: chmod go-w it"), catalog.problems());
        assertNeverRan();
    }

    @Test
    void aLinkedJarInFoldersOnlyRootCanWriteLoads() throws IOException {
        Path elsewhere = Files.createDirectory(work.resolve("elsewhere"));
        chmod(elsewhere, "rwxr-xr-x");
        jars.driver(elsewhere, "real.jar", "linkdrv", CURRENT);
        Path link = Files.createSymbolicLink(dir.resolve("link.jar"), Path.of("../elsewhere/real.jar"));

        DriverCatalog catalog = load();

        assertEquals(List.of(), catalog.problems());
        assertEquals(link.toString(), catalog.drivers().stream()
                .filter(e -> e.service().name().equals("linkdrv")).findFirst().orElseThrow().origin());
    }

    @Test
    void aLinkedPluginFolderLeadingThroughAFolderOthersCanWriteLoadsNothing() throws IOException {
        Path open = Files.createDirectory(work.resolve("open"));
        chmod(open, "rwxrwxrwx");
        Path real = Files.createDirectory(open.resolve("plugins"));
        chmod(real, "rwxr-xr-x");
        jars.driver(real, "good.jar", "gooddrv", CURRENT, Optional.empty(), traced());
        Path link = Files.createSymbolicLink(work.resolve("linked"), real);

        DriverCatalog catalog = DriverCatalog.load(BUILT_IN, PluginDirectory.named(link));

        assertEquals(List.of("plugin folder " + link + ": the folder " + open + " on its path (through the link " + link
                + " -> " + real + ") is writable by every user (rwxrwxrwx) and plugins run as root: chmod go-w it;"
                + " none of its plugins were loaded"), catalog.problems());
        assertNeverRan();
    }

    // --- a plugin whose name is taken: refused before any of its code runs, when it declares the name ---

    @Test
    void aDeclaredDriverNamedLikeABuiltInOneIsRefusedBeforeAnyOfItsCodeRuns() throws IOException {
        jars.driver(dir, "good.jar", "gooddrv", CURRENT);
        Path bridge = jars.driver(dir, "bridge.jar", "bridge", CURRENT, Optional.of("bridge"), traced());

        DriverCatalog catalog = load();

        assertOnlyGoodLoaded(catalog, "gooddrv");
        assertEquals(1, catalog.problems().size(), "one line for the refused jar: " + catalog.problems());
        assertProblem(catalog, "plugin " + bridge + ": its network driver 'bridge' is already provided by ");
        assertTrue(catalog.drivers().stream().filter(e -> e.service().name().equals("bridge"))
                .noneMatch(e -> e.origin().equals(bridge.toString())));
        assertNeverRan();
    }

    @Test
    void aDeclaredNameTakenByAnEarlierPluginIsRefusedBeforeAnyOfItsCodeRuns() throws IOException {
        Path first = jars.driver(dir, "a-first.jar", "twin", CURRENT, Optional.of("twin"), Optional.empty());
        Path second = jars.driver(dir, "b-second.jar", "twin", CURRENT, Optional.of("twin"), traced());

        DriverCatalog catalog = load();

        assertEquals(List.of("plugin " + second + ": its network driver 'twin' is already provided by " + first
                + ": remove one of the two, or rename the plugin's network driver"), catalog.problems());
        assertNeverRan();
    }

    @Test
    void aDeclaredBackendNamedAutoIsRefusedBeforeAnyOfItsCodeRuns() throws IOException {
        Path auto = jars.backend(dir, "auto.jar", "auto", CURRENT, Optional.of("auto"), traced());

        assertEquals(List.of("plugin " + auto + ": its NAT backend is named 'auto', which --nat reserves: rename the"
                + " plugin's NAT backend"), load().problems());
        assertNeverRan();
    }

    @Test
    void aJarBuiltAgainstSpi20WithoutDeclaredNamesStillLoadsAndWorks() throws IOException {
        jars.driver(dir, "old.jar", "olddrv", "2.0", Optional.empty(), traced());

        DriverCatalog catalog = load();

        assertEquals(List.of(), catalog.problems());
        assertEquals(PluginJars.VERSION, catalog.requireDriver("olddrv").version());
        assertEquals("static initializer\nconstructor\n", read(trace), "its name could only be learnt by running it");
    }

    @Test
    void anUndeclaredClassIsNotRunWhenADeclaredNameOfItsJarIsTaken() throws IOException {
        String undeclared = "example.Plain";
        String declared = "example.Bridge";
        Map<String, String> sources = Map.of(
                undeclared, PluginJars.source(undeclared, NetworkDriver.class, "plaindrv", Optional.empty(), traced()),
                declared, PluginJars.source(declared, NetworkDriver.class, "bridge", Optional.of("bridge"), Optional.empty()));
        Path both = jars.jar(dir, "both.jar", sources, Map.of(NetworkDriver.class.getName(), undeclared + "\n" + declared), CURRENT);

        DriverCatalog catalog = load();

        assertProblem(catalog, "plugin " + both + ": its network driver 'bridge' is already provided by ");
        assertTrue(catalog.driver("plaindrv").isEmpty());
        assertNeverRan();
    }

    @Test
    void aDeclaredNameThatItsClassDoesNotAnswerIsRefused() throws IOException {
        Path liar = jars.driver(dir, "liar.jar", "otherdrv", CURRENT, Optional.of("liardrv"), Optional.empty());

        DriverCatalog catalog = load();

        assertEquals(List.of("plugin " + liar + ": its network driver example.LiarDriver declares @ServiceName(\"liardrv\")"
                + " but its name() is 'otherdrv': make the two agree"), catalog.problems());
        assertTrue(catalog.driver("liardrv").isEmpty());
        assertTrue(catalog.driver("otherdrv").isEmpty());
    }

    /** A copy of {@code jar}'s driver whose code leaves a trace, owned by a user who is not root, beside it. */
    private Path evilTwinOf(Path jar) throws IOException {
        Path build = Files.createDirectories(work.resolve("evil"));
        Path evil = jars.driver(build, jar.getFileName().toString(), "swapdrv", CURRENT, Optional.empty(), traced());
        Files.setAttribute(evil, "unix:uid", NOBODY);
        return Files.move(evil, dir.resolve("evil.bin"));
    }

    /** {@code rename(2)}: what replaces a file or folder in one step. */
    private static void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private DriverCatalog load() {
        return DriverCatalog.load(BUILT_IN, PluginDirectory.named(dir));
    }

    private Optional<Path> traced() {
        return Optional.of(trace);
    }

    /** The plugin code meant to never run did not: no static initializer, no constructor. */
    private void assertNeverRan() {
        assertFalse(Files.exists(trace), () -> "plugin code ran: " + read(trace));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static void chmod(Path path, String mode) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    }

    /** {@code chmod} with the set-id and sticky bits, which the JDK cannot set: 1777 for a folder like /tmp. */
    private static void chmodOctal(Path path, String mode) throws Exception {
        Process chmod = new ProcessBuilder("chmod", mode, path.toString()).inheritIO().start();
        assertEquals(0, chmod.waitFor(), "chmod " + mode + " " + path);
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
