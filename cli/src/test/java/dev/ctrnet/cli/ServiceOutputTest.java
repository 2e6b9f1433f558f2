package dev.ctrnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a command run by the service prints reaches its client a line per frame, and at once when flushed. */
class ServiceOutputTest {
    @Test
    void aTablePrintedCellByCellGoesAsAFramePerLine() throws IOException {
        List<String> frames = framesOf(out -> {
            out.printf("%-12s  %-20s  %s%n", "ID", "NAME", "STATE");
            out.printf("%-12s  %-20s  %s%n", "44ac6e35f579", "k", "running");
        });
        assertEquals(List.of("ID            NAME                  STATE\n",
                "44ac6e35f579  k                     running\n"), frames);
    }

    @Test
    void whatIsFlushedGoesAtOnceEvenWithoutANewline() throws IOException {
        assertEquals(List.of("abc", "def\n"), framesOf(out -> {
            out.print("abc");
            out.flush();
            out.print("def\n");
        }));
    }

    @Test
    void whatIsLeftGoesWhenTheCommandEnds() throws IOException {
        assertEquals(List.of("a line\n", "no newline"), framesOf(out -> {
            out.print("a line\n");
            out.print("no newline");
        }));
    }

    /** The frames of what {@code command} prints to its System.out as the service routes it, the command ended. */
    private static List<String> framesOf(java.util.function.Consumer<PrintStream> command) throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        PrintStream toClient = Service.FrameOutput.printStream(new DataOutputStream(wire), ServiceProtocol.STDOUT);
        PrintStream unused = new PrintStream(new ByteArrayOutputStream());
        Service.RoutedOutput.route(toClient, unused);
        try {
            command.accept(Service.RoutedOutput.stream(unused, 0));
        } finally {
            Service.RoutedOutput.unroute();
        }
        toClient.flush(); // as the service does when the command ends
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(wire.toByteArray()));
        List<String> frames = new ArrayList<>();
        for (Optional<ServiceProtocol.Frame> f = ServiceProtocol.read(in); f.isPresent(); f = ServiceProtocol.read(in)) {
            assertEquals(ServiceProtocol.STDOUT, f.get().type());
            frames.add(new String(f.get().payload(), StandardCharsets.UTF_8));
        }
        return frames;
    }
}
