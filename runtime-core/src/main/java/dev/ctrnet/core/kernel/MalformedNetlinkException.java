package dev.ctrnet.core.kernel;

/** Bytes that are not a well-formed netlink message or attribute list. */
final class MalformedNetlinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedNetlinkException(String message) {
        super(message);
    }
}
