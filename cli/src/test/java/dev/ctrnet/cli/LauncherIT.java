package dev.ctrnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/ctrnet}'s class-data archive, on a copy of the launcher and the CLI's jar: an archive the JVM refuses
 * (here one that is no archive at all, as good as one another JDK made) is removed by the client and made again by
 * the next command, instead of leaving every command to start with no shared class until the next build.
 */
class LauncherIT {
    @Test
    void aRefusedArchiveIsRemovedAndMadeAgain() throws IOException {
        Path copy = Ctrnet.copyOfInstallation();
        try {
            Path jar = copy.resolve("cli/target/ctrnet-cli.jar");
            Path archive = copy.resolve("cli/target/ctrnet.jsa");
            Files.writeString(archive, "not a class-data archive\n");
            // newer than the jars the launcher compares it with (the CLI's and lib/'s), so it takes it as fresh and
            // names it to the JVM
            long newest = Files.getLastModifiedTime(jar).toMillis();
            try (Stream<Path> libs = Files.list(copy.resolve("cli/target/lib"))) {
                for (Path lib : libs.toList()) {
                    newest = Math.max(newest, Files.getLastModifiedTime(lib).toMillis());
                }
            }
            Files.setLastModifiedTime(archive, FileTime.fromMillis(newest + 1000));
            List<String> version = List.of(copy.resolve("bin/ctrnet").toString(), "--version");

            assertTrue(Shell.run(version, 120).ok().out().startsWith("ctrnet "), "the command works all the same");
            assertFalse(Files.exists(archive), "the refused archive was removed");
            assertTrue(Shell.run(version, 120).ok().out().startsWith("ctrnet "));
            assertTrue(Files.size(archive) > 4096, "the next command made an archive again");
            FileTime made = Files.getLastModifiedTime(archive);
            assertTrue(Shell.run(version, 120).ok().out().startsWith("ctrnet "));
            assertEquals(made, Files.getLastModifiedTime(archive), "the JVM took the new archive: it was kept");
        } finally {
            StateFiles.deleteTree(copy);
        }
    }
}
