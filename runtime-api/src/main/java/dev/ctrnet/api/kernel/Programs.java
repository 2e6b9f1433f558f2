package dev.ctrnet.api.kernel;

import dev.ctrnet.api.ProvidedByRuntime;
import java.util.List;

/**
 * Runs the host's firewall tools ({@code nft}, {@code iptables-restore}) for backends, in the host's
 * namespace. The runtime logs each call and can print instead of run.
 */
@ProvidedByRuntime
public interface Programs {
    /**
     * Runs {@code command} with {@code input} on its standard input and waits for it.
     *
     * @throws KernelException when the program cannot be started (the message names it)
     */
    Result run(List<String> command, String input);

    /** Whether {@code program} is found on the search path. */
    boolean exists(String program);

    /**
     * What a program did.
     *
     * @param exitCode its exit status
     * @param stdout what it printed
     * @param stderr what it printed on standard error
     */
    record Result(int exitCode, String stdout, String stderr) {
        /** Whether it exited 0. */
        public boolean ok() {
            return exitCode == 0;
        }
    }
}
