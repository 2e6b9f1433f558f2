package dev.ctrnet.core.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * Temporary folders under the sandbox's {@code /run}, where every folder from {@code /} belongs to
 * root and no one else can write: plugin folders under {@code /tmp}, which everyone can write, are
 * refused.
 */
final class RootOnlyTempDir implements TempDirFactory {
    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext context) throws IOException {
        return Files.createTempDirectory(Files.createDirectories(Path.of("/run/ctrnet-test")), "plugins");
    }
}
