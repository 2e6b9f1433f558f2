package dev.ctrnet.libnftables;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.api.kernel.Nftables;
import dev.ctrnet.api.kernel.Programs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Nftables} through {@code libnftables.so.1} (Debian's libnftables1, which nftables depends on), over
 * JNA: what {@code nft -f -} does, without starting it (~0.1 ms for an element change against ~10 ms for the
 * program, measured here).
 *
 * <p>One context is kept for the process and used by one call at a time (a context is not thread-safe). Keeping
 * it is what makes a removal cheap: closing a context's netlink socket makes the kernel wait for the previous
 * transaction's deferred clean-up, an RCU grace period (10–17 ms measured here after a {@code delete element}),
 * which is also what every run of the nft program pays when it exits. A kept socket is never closed, and the
 * clean-up happens in the background.
 *
 * <p>The call runs on the caller's thread, so in that thread's network namespace, exactly where a program
 * started from that thread would run: the kept context talks to the namespace of the thread that made it, and a
 * call from a thread in another namespace gets a context of its own, made there and freed afterwards. The
 * runtime calls backends from threads that have not entered another namespace, so that is the host's.
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

    private static final Path THREAD_NAMESPACE = Path.of("/proc/thread-self/ns/net");

    private final LibNftables library;
    /** The context kept for the process (never freed) and the namespace it talks to; guarded by {@code this}. */
    private Optional<Pointer> kept = Optional.empty();
    private Optional<String> keptNamespace = Optional.empty();

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
        Optional<String> namespace = callersNamespace();
        synchronized (this) {
            if (kept.isEmpty() && namespace.isPresent()) {
                kept = Optional.of(newContext());
                keptNamespace = namespace;
            }
            if (kept.isPresent() && namespace.equals(keptNamespace)) {
                return execute(kept.get(), script, dryRun);
            }
        }
        Pointer context = newContext();
        try {
            return execute(context, script, dryRun);
        } finally {
            library.nft_ctx_free(context);
        }
    }

    private Pointer newContext() {
        Pointer context = library.nft_ctx_new(LibNftables.NFT_CTX_DEFAULT);
        if (context == null) {
            throw new KernelException(0, "libnftables could not make a context (out of memory?)");
        }
        if (library.nft_ctx_buffer_output(context) != 0 || library.nft_ctx_buffer_error(context) != 0) {
            library.nft_ctx_free(context);
            throw new KernelException(0, "libnftables could not buffer its output");
        }
        return context;
    }

    /** Reading a buffer also empties it for the next call, so both are read every time. */
    private Programs.Result execute(Pointer context, String script, boolean dryRun) {
        library.nft_ctx_set_dry_run(context, dryRun);
        int status = library.nft_run_cmd_from_buffer(context, nulTerminated(script));
        return new Programs.Result(status == 0 ? 0 : 1, text(library.nft_ctx_get_output_buffer(context)),
                text(library.nft_ctx_get_error_buffer(context)));
    }

    /** The calling thread's network namespace ({@code net:[inode]}), or empty when /proc cannot tell. */
    private static Optional<String> callersNamespace() {
        try {
            return Optional.of(Files.readSymbolicLink(THREAD_NAMESPACE).toString());
        } catch (IOException e) {
            return Optional.empty();
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
