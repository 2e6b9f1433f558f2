package dev.ctrnet.core.container;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding a container's program on its PATH as its exec will, inside its root file system. */
class RootFsTest {
    @TempDir
    Path root;

    @Test
    void theFirstExecutableRegularFileOnThePathWins() throws IOException {
        program("usr/bin/tool");
        Files.createDirectories(root.resolve("sbin/tool"));
        Files.createDirectories(root.resolve("opt"));
        Files.writeString(root.resolve("opt/tool"), "not executable");
        assertEquals(Optional.of("/usr/bin/tool"), RootFs.findProgram(root, "tool", "/sbin:/opt:/usr/bin"),
                "a folder and a file that cannot be executed are passed over");
        assertEquals(Optional.empty(), RootFs.findProgram(root, "tool", "/sbin:/opt"));
        assertEquals(Optional.of("./anything"), RootFs.findProgram(root, "./anything", "/usr/bin"),
                "a path is exec'd as it is, and the exec says what is wrong with it");
        program("here");
        assertEquals(Optional.of("/here"), RootFs.findProgram(root, "here", "/nowhere::/usr/bin"),
                "an empty entry is the working folder, /");
    }

    @Test
    void symbolicLinksResolveInsideTheRoot() throws IOException {
        program("bin/busybox");
        Files.createSymbolicLink(root.resolve("bin/sh"), Path.of("busybox"));
        Files.createDirectories(root.resolve("usr/bin"));
        Files.createSymbolicLink(root.resolve("usr/bin/env"), Path.of("/bin/busybox"));
        Files.createSymbolicLink(root.resolve("usr/bin/climb"), Path.of("../../../../../../bin/busybox"));
        assertEquals(Optional.of("/bin/sh"), RootFs.findProgram(root, "sh", "/bin"));
        assertEquals(Optional.of("/usr/bin/env"), RootFs.findProgram(root, "env", "/usr/bin"),
                "an absolute link leads to the root file system's own program");
        assertEquals(Optional.of("/usr/bin/climb"), RootFs.findProgram(root, "climb", "/usr/bin"), ".. stops at the root");
        assertEquals(Optional.of(root.resolve("bin/busybox")), RootFs.resolveInside(root, "/usr/bin/climb"));
        // a link to a host program that the root file system lacks finds nothing, whatever the host has
        Files.createSymbolicLink(root.resolve("usr/bin/hosts"), Path.of("/bin/sh"));
        Files.delete(root.resolve("bin/sh"));
        assertEquals(Optional.empty(), RootFs.findProgram(root, "hosts", "/usr/bin"));
        Files.createSymbolicLink(root.resolve("usr/bin/loop"), Path.of("loop"));
        assertEquals(Optional.empty(), RootFs.resolveInside(root, "/usr/bin/loop"));
    }

    private void program(String path) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
