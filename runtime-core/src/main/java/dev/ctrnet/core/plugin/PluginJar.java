package dev.ctrnet.core.plugin;

import dev.ctrnet.api.SpiVersion;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A plugin jar, unpacked in memory from the bytes that were checked, whose manifest declares an SPI
 * version ({@value #SPI_VERSION_ATTRIBUTE}) this runtime can run.
 */
final class PluginJar {
    /** The manifest attribute in which a plugin declares the SPI version it was built against. */
    static final String SPI_VERSION_ATTRIBUTE = "Ctrnet-Spi-Version";

    /** Plugins are small; this bounds the memory a broken or hostile archive can take. */
    static final int MAX_BYTES = 64 * 1024 * 1024;

    private static final Pattern VERSION = Pattern.compile("(\\d{1,9})\\.(\\d{1,9})");

    private final Path path;
    private final Manifest manifest;
    private final Map<String, byte[]> entries;

    private PluginJar(Path path, Manifest manifest, Map<String, byte[]> entries) {
        this.path = path;
        this.manifest = manifest;
        this.entries = entries;
    }

    /**
     * Unpacks {@code bytes}, the content of the jar at {@code path}, and checks that this runtime's SPI
     * can run the plugin.
     */
    static PluginJar read(Path path, byte[] bytes) throws PluginRejected {
        Map<String, byte[]> entries = unpack(bytes);
        byte[] manifestBytes = entries.get(JarFile.MANIFEST_NAME);
        Manifest manifest;
        try {
            manifest = manifestBytes == null ? null : new Manifest(new ByteArrayInputStream(manifestBytes));
        } catch (IOException | RuntimeException e) {
            throw new PluginRejected("its manifest cannot be read (" + e.getMessage() + "): rebuild it", e);
        }
        String declared = manifest == null ? null : manifest.getMainAttributes().getValue(SPI_VERSION_ATTRIBUTE);
        if (declared == null) {
            throw new PluginRejected("its manifest declares no " + SPI_VERSION_ATTRIBUTE + ": add "
                    + SPI_VERSION_ATTRIBUTE + ": " + SpiVersion.string() + " (see docs/writing-a-driver.md)");
        }
        Matcher m = VERSION.matcher(declared.trim());
        if (!m.matches()) {
            throw new PluginRejected("its " + SPI_VERSION_ATTRIBUTE + " is '" + declared
                    + "', not MAJOR.MINOR such as " + SpiVersion.string());
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        if (major != SpiVersion.MAJOR) {
            throw new PluginRejected("it was built for SPI " + major + "." + minor + " and this ctrnet has SPI "
                    + SpiVersion.string() + ", which is incompatible: use a build of the plugin for SPI "
                    + SpiVersion.MAJOR + ".x");
        }
        if (!SpiVersion.accepts(major, minor)) {
            throw new PluginRejected("it needs SPI " + major + "." + minor + " and this ctrnet has only SPI "
                    + SpiVersion.string() + ": upgrade ctrnet or use an older build of the plugin");
        }
        return new PluginJar(path, manifest, entries);
    }

    private static Map<String, byte[]> unpack(byte[] bytes) throws PluginRejected {
        Map<String, byte[]> entries = new HashMap<>();
        long total = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (entry.isDirectory()) {
                    continue;
                }
                byte[] content = zip.readNBytes(MAX_BYTES + 1);
                total += content.length;
                if (total > MAX_BYTES) {
                    throw new PluginRejected("it unpacks to more than " + MAX_BYTES / (1024 * 1024) + " MiB");
                }
                entries.putIfAbsent(entry.getName(), content);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new PluginRejected("it cannot be read as a jar (" + e.getMessage() + "): rebuild it", e);
        }
        if (entries.isEmpty()) {
            throw new PluginRejected("it cannot be read as a jar (no entries found): rebuild it");
        }
        return entries;
    }

    /** Where it was found. */
    Path path() {
        return path;
    }

    /**
     * The bytes of the entry {@code name}, if there is one; callers must not change them. In a
     * multi-release jar, the newest version of the entry this JVM can run, as a jar's class loader gives it.
     */
    Optional<byte[]> entry(String name) {
        if (Boolean.parseBoolean(manifest.getMainAttributes().getValue(Attributes.Name.MULTI_RELEASE))) {
            for (int release = java.lang.Runtime.version().feature(); release >= 9; release--) {
                byte[] versioned = entries.get("META-INF/versions/" + release + "/" + name);
                if (versioned != null) {
                    return Optional.of(versioned);
                }
            }
        }
        return Optional.ofNullable(entries.get(name));
    }

    /** A manifest attribute of the section {@code section} (e.g. a package's folder), else of the main section. */
    String attribute(String section, Attributes.Name name) {
        Attributes attributes = manifest.getAttributes(section);
        String value = attributes == null ? null : attributes.getValue(name);
        return value != null ? value : manifest.getMainAttributes().getValue(name);
    }
}
