package dev.ctrnet.core.plugin;

import dev.ctrnet.api.SpiVersion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plugin jar and the SPI version its manifest declares ({@value #SPI_VERSION_ATTRIBUTE}).
 *
 * @param path the jar
 * @param spiMajor the SPI major version it was built against
 * @param spiMinor the SPI minor version it was built against
 */
record PluginJar(Path path, int spiMajor, int spiMinor) {
    /** The manifest attribute in which a plugin declares the SPI version it was built against. */
    static final String SPI_VERSION_ATTRIBUTE = "Ctrnet-Spi-Version";

    private static final Pattern VERSION = Pattern.compile("(\\d{1,9})\\.(\\d{1,9})");

    /** Reads {@code path}'s manifest and checks that this runtime's SPI can run the plugin. */
    static PluginJar read(Path path) throws PluginRejected {
        Manifest manifest;
        try (JarFile jar = new JarFile(path.toFile())) {
            manifest = jar.getManifest();
        } catch (IOException | SecurityException e) {
            throw new PluginRejected("it cannot be read as a jar (" + e.getMessage() + "): rebuild it", e);
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
        return new PluginJar(path, major, minor);
    }
}
