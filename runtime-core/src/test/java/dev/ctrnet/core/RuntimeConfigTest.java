package dev.ctrnet.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a state root keeps its runtime files: its own {@code run} folder, unless that leads elsewhere. */
class RuntimeConfigTest {
    @TempDir
    Path work;

    @Test
    void aRootWithoutARunFolderWillMakeItsOwn() {
        Path root = work.resolve("state");
        assertEquals(root.resolve("run"), RuntimeConfig.runDirOf(root));
    }

    @Test
    void aRunFolderInsideTheRootIsTheRootsOwnEvenWhenTheRootIsReachedThroughALink() throws IOException {
        Path real = Files.createDirectories(work.resolve("real/run")).getParent();
        Path root = Files.createSymbolicLink(work.resolve("linked"), real);
        assertEquals(root.resolve("run"), RuntimeConfig.runDirOf(root));
    }

    @Test
    void aRunThatIsALinkGetsAFolderOfItsOwnInside() throws IOException {
        Path shared = Files.createDirectories(work.resolve("system-run"));
        Path root = Files.createDirectories(work.resolve("state"));
        Files.createSymbolicLink(root.resolve("run"), shared);
        Path run = RuntimeConfig.runDirOf(root);
        assertEquals(root.resolve("run"), run.getParent());
        assertTrue(run.getFileName().toString().matches("ctrnet-[0-9a-f]{6}"), run.toString());
    }

    @Test
    void aRunLinkThatStaysInsideTheRootIsStillNotTrusted() throws IOException {
        Path root = Files.createDirectories(work.resolve("state"));
        Files.createDirectories(root.resolve("elsewhere"));
        Files.createSymbolicLink(root.resolve("run"), Path.of("elsewhere"));
        assertEquals(root.resolve("run"), RuntimeConfig.runDirOf(root).getParent());
    }

    @Test
    void theDefaultRootKeepsItsRuntimeFilesInTheSystemsRun() {
        assertEquals(Path.of("/run/ctrnet"), RuntimeConfig.runDirOf(RuntimeConfig.DEFAULT_ROOT));
    }
}
