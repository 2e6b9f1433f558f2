package dev.ctrnet.core.kernel;

import java.util.Optional;

/**
 * The kernel refused a netlink request. Carries what {@link NativeNetlink} needs to write a sentence
 * that names the object; never leaves this package.
 */
final class NetlinkError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int errno;
    private final transient Optional<String> kernelMessage;

    NetlinkError(Acknowledgement ack) {
        super("errno " + ack.errno() + ack.kernelMessage().map(m -> ": " + m).orElse(""));
        this.errno = ack.errno();
        this.kernelMessage = ack.kernelMessage();
    }

    int errno() {
        return errno;
    }

    Optional<String> kernelMessage() {
        return kernelMessage;
    }
}
