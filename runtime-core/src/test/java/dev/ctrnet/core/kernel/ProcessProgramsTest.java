package dev.ctrnet.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.api.kernel.Programs;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessProgramsTest {
    private final ProcessPrograms programs = new ProcessPrograms();

    @Test
    void feedsInputAndCollectsBothOutputs() {
        Programs.Result result = programs.run(List.of("sh", "-c", "cat; echo oops >&2; exit 3"), "hello\n");
        assertEquals(new Programs.Result(3, "hello\n", "oops\n"), result);
    }

    @Test
    void largeOutputAndInputDoNotDeadlock() {
        String input = "x".repeat(2_000_000);
        Programs.Result result = programs.run(List.of("sh", "-c", "head -c 3000000 /dev/zero; head -c 3000000 /dev/zero >&2; wc -c"),
                input);
        assertTrue(result.ok());
        assertEquals(3_000_000 + "2000000\n".length(), result.stdout().length());
        assertEquals(3_000_000, result.stderr().length());
    }

    @Test
    void aMissingProgramIsNamedWithItsPackage() {
        KernelException nft = assertThrows(KernelException.class,
                () -> programs.run(List.of("/nonexistent/nft", "-f", "-"), ""));
        assertEquals(KernelException.ENOENT, nft.errno());
        assertEquals("cannot run nft: it is not installed (apt-get install nftables)", nft.getMessage());
        assertTrue(assertThrows(KernelException.class, () -> programs.run(List.of("ctrnet-no-such-tool"), ""))
                .getMessage().startsWith("cannot run ctrnet-no-such-tool"));
    }

    @Test
    void existsSearchesThePath() {
        assertTrue(programs.exists("sh"));
        assertFalse(programs.exists("ctrnet-no-such-tool"));
    }
}
