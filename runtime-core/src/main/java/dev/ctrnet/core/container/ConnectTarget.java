package dev.ctrnet.core.container;

/** What {@code network connect} attaches: a ctrnet container, or any process's network namespace. */
public sealed interface ConnectTarget {
    /** A ctrnet container, by name. */
    record Container(String name) implements ConnectTarget {}

    /** Any process with a network namespace of its own, e.g. one started by another tool. */
    record Process(long pid) implements ConnectTarget {}
}
