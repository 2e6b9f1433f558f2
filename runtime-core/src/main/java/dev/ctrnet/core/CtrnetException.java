package dev.ctrnet.core;

/**
 * A failure the user can act on: the message is the one sentence {@code ctrnet:} prints, saying what
 * is wrong and what to do.
 */
public class CtrnetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failure with its sentence. */
    public CtrnetException(String message) {
        super(message);
    }

    /** A failure with its sentence and the cause, shown with {@code --log-level debug}. */
    public CtrnetException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The network is unknown. */
    public static CtrnetException noSuchNetwork(String name) {
        return new CtrnetException("network " + name + " not found: create it with ctrnet network create " + name);
    }

    /** The container is unknown. */
    public static CtrnetException noSuchContainer(String name) {
        return new CtrnetException("no such container: " + name);
    }
}
