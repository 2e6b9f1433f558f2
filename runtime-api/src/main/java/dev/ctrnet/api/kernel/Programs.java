package dev.ctrnet.api.kernel;

import dev.ctrnet.api.ProvidedByRuntime;
import java.util.List;
import java.util.Optional;

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
     * nftables' library, when the runtime could load it: a backend that would run {@code nft -f -} runs its
     * script through it instead, which starts no process. Empty by default, so an implementation written
     * before it existed keeps working: the backend then runs {@code nft}.
     */
    default Optional<Nftables> nftables() {
        return Optional.empty();
    }

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
