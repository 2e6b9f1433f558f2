package dev.ctrnet.cli;

/** What {@code --format} takes: a table for people, JSON (the objects inspect prints) for scripts. */
enum OutputFormat {
    TABLE,
    JSON
}
