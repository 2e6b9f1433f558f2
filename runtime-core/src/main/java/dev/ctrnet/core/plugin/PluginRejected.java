package dev.ctrnet.core.plugin;

/** Why one plugin jar was not loaded: a sentence that says what to do, without the jar's name. */
final class PluginRejected extends Exception {
    private static final long serialVersionUID = 1L;

    PluginRejected(String reason) {
        super(reason);
    }

    PluginRejected(String reason, Throwable cause) {
        super(reason, cause);
    }
}
