package dev.ctrnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** bench/run.sh measures what it says it does. */
class BenchScriptTest {
    private static final Pattern SERVICE_COMPILER = Pattern.compile("(?m)^service_compiler=\\(([^)]*)\\)$");

    @Test
    void theInProcessAttachIsMeasuredWithTheServicesCompilerOptions() throws IOException {
        Matcher options = SERVICE_COMPILER.matcher(Files.readString(Ctrnet.REPO.resolve("bench/run.sh")));
        assertTrue(options.find(), "bench/run.sh sets service_compiler=(...)");
        assertEquals(Client.SERVICE_COMPILER, List.of(options.group(1).trim().split("\\s+")),
                "the options bench/run.sh gives AttachBench as the service's are the ones the service starts with");
    }
}
