package dev.ctrnet.libnftables;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.api.kernel.Nftables;
import dev.ctrnet.api.kernel.Programs;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Nftables} through {@code libnftables.so.1} (Debian's libnftables1, which nftables depends on), over
 * JNA: what {@code nft -f -} does, without starting it (~0.1 ms for an element change against ~10 ms for the
 * program, measured here).
 *
 * <p>Each call makes its own context and frees it: a context is not thread-safe, and making one costs ~0.01 ms.
 *
 * <p>The call runs on the caller's thread, so in that thread's network namespace, exactly where a program
 * started from that thread would run: the runtime calls backends from threads that have not entered another
 * namespace, so that is the host's.
 *
 * <p>Unlike a program, a library call cannot be killed when it takes too long. It does not need to be:
 * libnftables only exchanges messages with the kernel over its own netlink socket, and nf_tables answers a
 * batch once it has committed or refused it; it waits for no other process, file lock or network peer, which
 * are what the runner's timeout guards against.
 */
public final class LibraryNftables implements Nftables {
    /** The versioned name: without the -dev package there is no plain {@code libnftables.so}. */
    public static final String LIBRARY = "libnftables.so.1";

    private static final Logger LOG = LoggerFactory.getLogger(LibraryNftables.class);

    private final LibNftables library;

    private LibraryNftables(LibNftables library) {
        this.library = library;
    }

    /** The library, loaded on the first call of this process (and kept), if it can be loaded. */
    public static Optional<Nftables> shared() {
        return Shared.LOADED;
    }

    /** {@code library} (a file name or path), or empty when it cannot be loaded, saying why in the debug log. */
    public static Optional<Nftables> load(String library) {
        try {
            LibNftables loaded = Native.load(library, LibNftables.class);
            LOG.debug("nftables scripts run in-process through {}", library);
            return Optional.of(new LibraryNftables(loaded));
        } catch (UnsatisfiedLinkError e) {
            LOG.debug("nftables' library {} cannot be loaded, so nft runs instead: {}", library, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public Programs.Result run(String script) {
        return execute(script, false);
    }

    @Override
    public Programs.Result check(String script) {
        return execute(script, true);
    }

    private Programs.Result execute(String script, boolean dryRun) {
        Pointer context = library.nft_ctx_new(LibNftables.NFT_CTX_DEFAULT);
        if (context == null) {
            throw new KernelException(0, "libnftables could not make a context (out of memory?)");
        }
        try {
            if (library.nft_ctx_buffer_output(context) != 0 || library.nft_ctx_buffer_error(context) != 0) {
                throw new KernelException(0, "libnftables could not buffer its output");
            }
            library.nft_ctx_set_dry_run(context, dryRun);
            int status = library.nft_run_cmd_from_buffer(context, nulTerminated(script));
            // the buffers belong to the context: read them before it is freed
            return new Programs.Result(status == 0 ? 0 : 1, text(library.nft_ctx_get_output_buffer(context)),
                    text(library.nft_ctx_get_error_buffer(context)));
        } finally {
            library.nft_ctx_free(context);
        }
    }

    private static byte[] nulTerminated(String script) {
        byte[] bytes = script.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(bytes, bytes.length + 1);
    }

    private static String text(Pointer buffer) {
        return buffer == null ? "" : buffer.getString(0, StandardCharsets.UTF_8.name());
    }

    /** Loaded when first asked for, so a command that never touches the firewall never maps the library. */
    private static final class Shared {
        static final Optional<Nftables> LOADED = load(LIBRARY);
    }
}
