package dev.ctrnet.core.container;

import dev.ctrnet.core.CtrnetException;

/**
 * A container's command could not be exec'd: not found on its {@code PATH} (status 127, as sh and Docker
 * report it) or found but not executable (126). Nothing of the container runs.
 */
public final class CommandNotStarted extends CtrnetException {
    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * @param status 127 or 126
     * @param container the container's name
     * @param why what the exec found, e.g. {@code sleep: executable file not found in $PATH}
     */
    public CommandNotStarted(int status, String container, String why) {
        super("the command of container " + container + " could not start: " + why);
        if (!ContainerLauncher.COULD_NOT_START.contains(status)) {
            throw new IllegalArgumentException("not a could-not-start status: " + status);
        }
        this.status = status;
    }

    /** The exit status a shell would give: 127 (not found) or 126 (not executable). */
    public int status() {
        return status;
    }
}
