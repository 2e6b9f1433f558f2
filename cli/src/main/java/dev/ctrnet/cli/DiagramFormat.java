package dev.ctrnet.cli;

/** What {@code --format} takes for a picture: box characters for the terminal, Graphviz's dot, or SVG drawn by dot. */
enum DiagramFormat {
    TEXT,
    DOT,
    SVG
}
