package dev.ctrnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/ctrnet}'s class-data archive, on a copy of the launcher and the CLI's jar: an archive the JVM refuses
 * (here one that is no archive at all, as good as one another JDK made) is removed by the client and made again by
 * the next command, instead of leaving every command to start with no shared class until the next build.
 */
class LauncherIT {
    @Test
    void aRefusedArchiveIsRemovedAndMadeAgain() throws IOException {
        Path copy = Files.createTempDirectory("ctrnet-launcher");
        try {
            Files.createDirectories(copy.resolve("bin"));
            Files.createDirectories(copy.resolve("cli/target"));
            Files.copy(Ctrnet.REPO.resolve("bin/ctrnet"), copy.resolve("bin/ctrnet"), StandardCopyOption.COPY_ATTRIBUTES);
            Path jar = copy.resolve("cli/target/ctrnet-cli.jar");
            Files.copy(Ctrnet.REPO.resolve("cli/target/ctrnet-cli.jar"), jar, StandardCopyOption.COPY_ATTRIBUTES);
            Files.createSymbolicLink(copy.resolve("cli/target/lib"), Ctrnet.REPO.resolve("cli/target/lib").toAbsolutePath());
            Path archive = copy.resolve("cli/target/ctrnet.jsa");
            Files.writeString(archive, "not a class-data archive\n");
            // newer than the jar, so the launcher takes it as fresh and names it to the JVM
            Files.setLastModifiedTime(archive, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 1000));
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
