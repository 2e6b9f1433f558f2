package dev.ctrnet.core.container;

/** Who removes a detached {@code --rm} container when its command ends. */
public enum AutoRemoval {
    /** Its monitor, by running the ctrnet command ({@code rm -f}) in a process of its own. */
    BY_MONITOR,
    /** The program that started it, which outlives it (the ctrnet service): the monitor only records the exit. */
    BY_CALLER
}
