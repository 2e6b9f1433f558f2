package dev.ctrnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A request as the client encodes it, and one of a client of version 1, which a service of today declines. */
class ServiceProtocolTest {
    @Test
    void aRequestComesBackAsItWasSent() throws IOException {
        ServiceProtocol.Request sent = new ServiceProtocol.Request(ServiceProtocol.VERSION,
                List.of("run", "--rm", "--", "sh", "-c", "echo 'żółw'"), 4242, "net:[1] mnt:[2] build:3");
        assertEquals(sent, ServiceProtocol.Request.decode(sent.encode()));
        assertEquals(ServiceProtocol.Request.STANDARD, sent.stdio());
        // as bin/ctrnet's shell sends it: no identity, its streams moved to descriptors of its own
        ServiceProtocol.Request shell = new ServiceProtocol.Request(ServiceProtocol.VERSION, List.of("ps"), 4242, "",
                true, List.of(10, 11, 12), 13);
        assertEquals(shell, ServiceProtocol.Request.decode(shell.encode()));
        assertTrue(shell.fromLauncher());
    }

    @Test
    void aVersionOneRequestWithItsEnvironmentAndFolderIsReadForItsVersionArgumentsPidAndBuild() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(1);
        out.writeInt(1);
        string(out, "ps");
        out.writeInt(2);
        for (String s : List.of("PATH", "/bin", "CTRNET_ROOT", "/r")) {
            string(out, s);
        }
        string(out, "/home/user");
        out.writeLong(77);
        string(out, "net:[1] mnt:[2] build:1");
        assertEquals(new ServiceProtocol.Request(1, List.of("ps"), 77, "net:[1] mnt:[2] build:1"),
                ServiceProtocol.Request.decode(bytes.toByteArray()));
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }
}
