package dev.ctrnet.libnftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.ctrnet.api.kernel.Nftables;
import dev.ctrnet.api.kernel.Programs;
import dev.ctrnet.api.testing.Privileged;
import dev.ctrnet.api.testing.Shell;
import java.util.Optional;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@Privileged
class LibraryNftablesTest {
    private static final String TABLE = "add table inet t\nadd chain inet t c { type nat hook prerouting priority dstnat; }\n";

    private final Nftables nftables = LibraryNftables.shared().orElseThrow();

    @BeforeEach
    @AfterEach
    void flush() {
        Shell.requireSandbox();
        Shell.ok("nft flush ruleset");
    }

    @Test
    void runChangesTheKernelAsNftDoes() {
        assertEquals(new Programs.Result(0, "", ""), nftables.run(TABLE));
        assertTrue(Shell.ok("nft list chain inet t c").contains("type nat hook prerouting priority dstnat"));
    }

    @Test
    void checkKeepsNothing() {
        assertEquals(new Programs.Result(0, "", ""), nftables.check(TABLE));
        assertEquals("", Shell.ok("nft list ruleset"));
    }

    @Test
    void aRefusedScriptChangesNothingAndSaysWhy() {
        Programs.Result result = nftables.run(TABLE + "add rule inet t nosuch accept\n");
        assertEquals(1, result.exitCode());
        assertTrue(result.stderr().contains("Error: Could not process rule: No such file or directory"), result.stderr());
        assertEquals("", Shell.ok("nft list ruleset"), "one transaction: the table went with the rule");
        assertEquals(new Programs.Result(0, "", ""), nftables.run(TABLE), "the next call does not see the old error");
    }

    @Test
    void theOutputIsReturned() {
        nftables.run(TABLE);
        assertEquals(Shell.ok("nft list table inet t"), nftables.run("list table inet t").stdout());
        assertEquals(Shell.ok("nft list table inet t"), nftables.run("list table inet t").stdout(), "and only this call's");
    }

    /** The kept context belongs to this namespace: a thread in another one changes that one's rules, not ours. */
    @Test
    void aCallRunsInTheCallersNamespace() throws Exception {
        nftables.run("list ruleset");
        FutureTask<Programs.Result> inOther = new FutureTask<>(() -> {
            if (Unshare.C.unshare(Unshare.CLONE_NEWNET) != 0) {
                throw new IllegalStateException("unshare failed");
            }
            nftables.run("add table inet elsewhere\n");
            return nftables.run("list tables");
        });
        Thread thread = new Thread(inOther);
        thread.start();
        assertEquals("table inet elsewhere\n", inOther.get().stdout());
        assertEquals("", Shell.ok("nft list ruleset"));
        assertEquals("", nftables.run("list ruleset").stdout());
    }

    private interface Unshare extends Library {
        Unshare C = Native.load("c", Unshare.class);
        int CLONE_NEWNET = 0x40000000;

        int unshare(int flags);
    }

    @Test
    void manyCallsFromManyThreadsEachGetTheirOwnContext() throws InterruptedException {
        Thread[] threads = new Thread[4];
        boolean[] failed = new boolean[threads.length];
        for (int i = 0; i < threads.length; i++) {
            int n = i;
            threads[i] = new Thread(() -> {
                for (int k = 0; k < 50; k++) {
                    failed[n] |= !nftables.run("add table inet t" + n + "\nadd set inet t" + n + " s { type inet_service; }\n"
                            + "add element inet t" + n + " s { " + (1000 + k) + " }\n").ok();
                }
            });
            threads[i].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        for (int i = 0; i < threads.length; i++) {
            assertFalse(failed[i]);
            assertTrue(Shell.ok("nft list set inet t" + i + " s").contains("1049"));
        }
    }

    @Test
    void aLibraryThatCannotBeLoadedIsAbsent() {
        assertEquals(Optional.empty(), LibraryNftables.load("libnftables-missing.so.9"));
        assertEquals(Optional.empty(), LibraryNftables.load("/nonexistent/libnftables.so.1"));
    }
}
