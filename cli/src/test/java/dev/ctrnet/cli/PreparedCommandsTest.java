package dev.ctrnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service's command lines made ahead: each runs one command, and none carries another's options. */
class PreparedCommandsTest {
    @TempDir
    Path root;

    @Test
    void aPreparedCommandLineRunsOnce() {
        Main.Prepared prepared = Main.prepare(Optional.of("ps"));
        assertEquals(0, run(prepared, "ps", "--format", "json").status());
        assertThrows(IllegalStateException.class, () -> run(prepared, "ps"));
    }

    @Test
    void theCommandLineMadeAheadServesTheNextCommandWithNoneOfTheLastOnesOptions() {
        PreparedCommands commands = new PreparedCommands();
        String[] json = {"ps", "--format", "json"};
        Printed first = run(commands.take(json), json);
        assertEquals(0, first.status());
        assertEquals("[ ]", first.output().strip());
        assertFalse(commands.isReady("ps"));
        commands.replace(json);
        assertTrue(Eventually.holds(() -> commands.isReady("ps")), "no command line was made ahead for ps");
        Printed table = run(commands.take(new String[] {"ps"}), "ps");
        assertFalse(commands.isReady("ps"));
        assertEquals(0, table.status());
        assertTrue(table.output().startsWith("ID "), table.output());
    }

    private record Printed(int status, String output) {}

    /** Runs {@code args} on a state root of its own, with what it prints. */
    private Printed run(Main.Prepared prepared, String... args) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            Invocation invocation = new Invocation(Map.of("CTRNET_ROOT", root.toString()), root,
                    dev.ctrnet.core.container.Stdio.inherit(), Invocation.Interrupts.SHUTDOWN_HOOK);
            int status = prepared.execute(args, invocation);
            return new Printed(status, buffer.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(saved);
        }
    }
}
