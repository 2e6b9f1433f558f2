package dev.ctrnet.core.plugin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.SpiVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/** A plugin jar unpacked from its bytes: entries as a jar's class loader would give them. */
class PluginJarTest {
    private static final Path PATH = Path.of("/plugins/x.jar");

    @Test
    void aMultiReleaseJarGivesTheNewestVersionThisJvmRuns() throws Exception {
        byte[] bytes = jar(true, Map.of("a.txt", "base", "META-INF/versions/9/a.txt", "nine",
                "META-INF/versions/999/a.txt", "future", "b.txt", "only base"));

        PluginJar jar = PluginJar.read(PATH, bytes);

        assertArrayEquals(utf8("nine"), jar.entry("a.txt").orElseThrow());
        assertArrayEquals(utf8("only base"), jar.entry("b.txt").orElseThrow());
        assertTrue(jar.entry("c.txt").isEmpty());
    }

    @Test
    void aJarThatIsNotMultiReleaseGivesItsBaseEntries() throws Exception {
        PluginJar jar = PluginJar.read(PATH, jar(false, Map.of("a.txt", "base", "META-INF/versions/9/a.txt", "nine")));

        assertArrayEquals(utf8("base"), jar.entry("a.txt").orElseThrow());
    }

    @Test
    void bytesThatAreNotAJarAreRefused() {
        PluginRejected e = assertThrows(PluginRejected.class, () -> PluginJar.read(PATH, utf8("not a jar")));
        assertEquals("it cannot be read as a jar (no entries found): rebuild it", e.getMessage());
    }

    private static byte[] jar(boolean multiRelease, Map<String, String> entries) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue(PluginJar.SPI_VERSION_ATTRIBUTE, SpiVersion.string());
        if (multiRelease) {
            manifest.getMainAttributes().put(Attributes.Name.MULTI_RELEASE, "true");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream zip = new JarOutputStream(out, manifest)) {
            for (var e : entries.entrySet()) {
                zip.putNextEntry(new JarEntry(e.getKey()));
                zip.write(utf8(e.getValue()));
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
