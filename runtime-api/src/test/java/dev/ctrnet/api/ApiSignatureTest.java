package dev.ctrnet.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the SPI's compatibility rule (see {@link SpiVersion}): the public surface is checked in as
 * {@code src/test/resources/api-signature.txt}, and a change to it fails this test unless
 * {@link SpiVersion} was bumped as the rule demands. After bumping, record the new surface with
 * {@code mvn -pl runtime-api verify -Dctrnet.api.record=true} and commit the file.
 */
class ApiSignatureTest {
    private static final Path FILE = Path.of("src/test/resources/api-signature.txt");
    private static final Pattern HEADER = Pattern.compile("# ctrnet SPI (\\d+)\\.(\\d+)");

    @Test
    void theSpiChangesOnlyWithItsVersion() throws Exception {
        List<String> file = Files.readAllLines(FILE);
        Matcher header = HEADER.matcher(file.get(0));
        assertTrue(header.lookingAt(), FILE + " starts with '# ctrnet SPI MAJOR.MINOR'");
        int major = Integer.parseInt(header.group(1));
        int minor = Integer.parseInt(header.group(2));
        List<String> recorded = file.stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        List<String> actual = ApiSignature.ofThisModule();

        SpiChange change = SpiChange.between(recorded, actual, ApiSignatureTest::providedByRuntime);
        change.violation(major, minor, SpiVersion.MAJOR, SpiVersion.MINOR).ifPresent(v -> fail(v));
        boolean versionMoved = major != SpiVersion.MAJOR || minor != SpiVersion.MINOR;
        if (!change.any() && !versionMoved) {
            return;
        }
        if (Boolean.getBoolean("ctrnet.api.record")) {
            List<String> out = new ArrayList<>();
            out.add("# ctrnet SPI " + SpiVersion.string() + ": the public surface of runtime-api, checked by ApiSignatureTest.");
            out.add("# Do not edit: bump SpiVersion, then run mvn -pl runtime-api verify -Dctrnet.api.record=true");
            out.addAll(actual);
            Files.write(FILE, out);
            return;
        }
        fail("the SPI is now " + SpiVersion.string() + " but " + FILE + " records " + major + "." + minor
                + ": record it with mvn -pl runtime-api verify -Dctrnet.api.record=true\n" + change.describe());
    }

    @Test
    void aChangedSignatureNeedsANewMajor() {
        SpiChange change = SpiChange.between(List.of("a.T = public interface", "a.T :: public abstract void a.T.f(int)"),
                List.of("a.T = public interface", "a.T :: public abstract void a.T.f(long)"));
        assertTrue(change.breaking());
        assertTrue(change.violation(1, 0, 1, 1).orElseThrow().contains("bump MAJOR"));
        assertEquals(Optional.empty(), change.violation(1, 0, 2, 0));
    }

    @Test
    void anAbstractMethodAddedToAnExistingInterfaceNeedsANewMajor() {
        SpiChange change = SpiChange.between(List.of("a.T = public interface"),
                List.of("a.T = public interface", "a.T :: public abstract void a.T.g()"));
        assertTrue(change.breaking());
        assertTrue(change.violation(1, 0, 1, 1).isPresent());
    }

    @Test
    void aMethodAddedToAnInterfaceOnlyTheRuntimeImplementsNeedsANewMinor() {
        SpiChange change = SpiChange.between(List.of("a.T = public interface"),
                List.of("a.T = public interface", "a.T :: public abstract void a.T.g()"), "a.T"::equals);
        assertFalse(change.breaking());
        assertTrue(change.violation(1, 0, 1, 0).orElseThrow().contains("bump MINOR"));
        assertEquals(Optional.empty(), change.violation(1, 0, 1, 1));
    }

    @Test
    void theKernelPrimitivesAreProvidedByTheRuntimeAndTheDriverSpiIsNot() {
        assertTrue(providedByRuntime("dev.ctrnet.api.kernel.Netlink"));
        assertFalse(providedByRuntime("dev.ctrnet.api.NetworkDriver"));
        assertFalse(providedByRuntime("dev.ctrnet.api.NatBackend"));
    }

    private static boolean providedByRuntime(String type) {
        try {
            return Class.forName(type, false, ApiSignatureTest.class.getClassLoader())
                    .isAnnotationPresent(ProvidedByRuntime.class);
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @Test
    void anAdditionNeedsANewMinor() {
        SpiChange change = SpiChange.between(List.of("a.T = public interface"),
                List.of("a.T = public interface", "a.T :: public default void a.T.g()", "a.U = public final record"));
        assertFalse(change.breaking());
        assertTrue(change.violation(1, 0, 1, 0).orElseThrow().contains("bump MINOR"));
        assertEquals(Optional.empty(), change.violation(1, 0, 1, 1));
    }

    @Test
    void theSurfaceListsWhatAPluginLinksAgainst() throws Exception {
        List<String> lines = ApiSignature.ofThisModule();
        assertTrue(lines.contains("dev.ctrnet.api.NetworkDriver :: public abstract dev.ctrnet.api.Attachment "
                + "dev.ctrnet.api.NetworkDriver.attach(dev.ctrnet.api.Network,dev.ctrnet.api.Endpoint,"
                + "dev.ctrnet.api.kernel.Kernel)"), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("dev.ctrnet.api.kernel.LinkKind$Macvlan = ")));
    }
}
