package dev.ctrnet.libnftables;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/** The calls of libnftables(3) that run a script, through JNA. */
interface LibNftables extends Library {
    /** {@code NFT_CTX_DEFAULT}: a context for the kernel's rules, as the nft program makes. */
    int NFT_CTX_DEFAULT = 0;

    Pointer nft_ctx_new(int flags);

    void nft_ctx_free(Pointer ctx);

    int nft_ctx_buffer_output(Pointer ctx);

    int nft_ctx_buffer_error(Pointer ctx);

    Pointer nft_ctx_get_output_buffer(Pointer ctx);

    Pointer nft_ctx_get_error_buffer(Pointer ctx);

    /** The C {@code bool} is passed as JNA's 32-bit boolean, as the x86-64 and AArch64 calling conventions allow. */
    void nft_ctx_set_dry_run(Pointer ctx, boolean dry);

    /** {@code buffer} ends with a NUL byte; returns 0, or -1 when the kernel refused the batch or the script is wrong. */
    int nft_run_cmd_from_buffer(Pointer ctx, byte[] buffer);
}
