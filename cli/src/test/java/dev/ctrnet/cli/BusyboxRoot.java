package dev.ctrnet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** A minimal root file system: Debian's static busybox and its applets, nothing else. */
final class BusyboxRoot {
    private BusyboxRoot() {}

    static Path make(Path dir) throws IOException {
        Path bin = dir.resolve("bin");
        if (Files.exists(bin.resolve("busybox"))) {
            return dir;
        }
        Path busybox = java.util.stream.Stream.of("/bin/busybox", "/usr/bin/busybox").map(Path::of).filter(Files::isExecutable)
                .findFirst().orElseThrow(() -> new AssertionError("busybox-static is not installed"));
        Files.createDirectories(bin);
        Files.createDirectories(dir.resolve("etc"));
        Files.createDirectories(dir.resolve("proc"));
        Files.copy(busybox, bin.resolve("busybox"), StandardCopyOption.REPLACE_EXISTING);
        for (String applet : List.of("sh", "ls", "cat", "echo", "hostname", "ps", "ip", "ping", "sleep", "wget", "nc",
                "grep", "mkdir", "cp", "chroot", "nsenter")) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        return dir;
    }
}
