package dev.ctrnet.cli;

import dev.ctrnet.api.SpiVersion;

/**
 * What {@code --version} prints: the CLI's version and the SPI's. A class of its own, without picocli, so that
 * the client answers {@code --version} alone without loading the command line's model.
 */
final class Version {
    private Version() {}

    static String text() {
        String version = Version.class.getPackage().getImplementationVersion();
        return "ctrnet " + (version == null ? "dev" : version) + " (SPI " + SpiVersion.string() + ")";
    }
}
