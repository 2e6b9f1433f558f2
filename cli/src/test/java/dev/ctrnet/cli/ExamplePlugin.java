package dev.ctrnet.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An example plugin of {@code examples/}, built with Maven on its own, apart from the reactor, as a third party
 * builds theirs, and dropped alone in a plugin folder of its own, which {@code --plugin-dir} then names. Built
 * once per test run.
 */
final class ExamplePlugin {
    private static final Map<String, Path> FOLDERS = new HashMap<>();

    private ExamplePlugin() {}

    /** The plugin folder holding the jar of {@code examples/NAME} (for example {@code driver-ptp}). */
    static synchronized Path folder(String name) {
        return FOLDERS.computeIfAbsent(name, ExamplePlugin::build);
    }

    private static Path build(String name) {
        Path project = Ctrnet.REPO.resolve("examples").resolve(name).toAbsolutePath();
        // offline: the sandbox reaches no registry, and the example needs nothing the build has not fetched. Only the
        // goals that make the jar: its tests (the driver kit's, which the reactor runs against this build) would need
        // this build's runtime-core in the local repository, which is installed only after these tests.
        Shell.run(List.of("mvn", "-B", "-q", "-o", "-f", project.resolve("pom.xml").toString(), "resources:resources",
                "compiler:compile", "jar:jar"), 600).ok();
        try {
            // under the sandbox's /run, writable by root alone, as ctrnet demands of a plugin folder
            Path folder = Files.createDirectories(Path.of("/run/ctrnet-test/plugins-" + name));
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path jar = folder.resolve("ctrnet-" + name + ".jar");
            Files.copy(project.resolve("target/ctrnet-" + name + ".jar"), jar, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
