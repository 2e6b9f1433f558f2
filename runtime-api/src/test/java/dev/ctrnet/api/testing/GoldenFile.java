package dev.ctrnet.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A checked-in file that rendered rules must equal. Run the tests with {@code -Dgolden.update=true} to
 * rewrite the files after an intended change, then review the diff before committing it.
 */
public final class GoldenFile {
    private GoldenFile() {}

    /** Fails unless {@code rendered} equals the file at {@code golden}; rewrites the file first when asked to. */
    public static void assertMatches(Path golden, String rendered) throws IOException {
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, rendered, StandardCharsets.UTF_8);
        }
        assertEquals(read(golden), rendered);
    }

    /** The text of the file at {@code golden}. */
    public static String read(Path golden) throws IOException {
        return Files.readString(golden, StandardCharsets.UTF_8);
    }
}
