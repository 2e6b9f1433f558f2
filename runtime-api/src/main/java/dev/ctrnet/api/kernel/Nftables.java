package dev.ctrnet.api.kernel;

import dev.ctrnet.api.ProvidedByRuntime;

/**
 * nftables' own library (libnftables) inside the runtime's process: a script runs as {@code nft -f -} runs
 * it, as one transaction in the host's namespace, without starting a program. Found through
 * {@link Programs#nftables()}; a backend falls back to the {@code nft} program when it is absent.
 */
@ProvidedByRuntime
public interface Nftables {
    /**
     * Runs {@code script} as {@code nft -f -} would.
     *
     * @return exit code 0 when every command of the script was applied, 1 when none was; what nft would
     *     print on its standard output and error
     */
    Programs.Result run(String script);

    /**
     * Checks {@code script} as {@code nft -c -f -} would: the kernel validates it and keeps nothing.
     *
     * @return as {@link #run}
     */
    Programs.Result check(String script);
}
