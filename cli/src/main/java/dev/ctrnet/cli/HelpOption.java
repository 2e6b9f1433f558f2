package dev.ctrnet.cli;

import picocli.CommandLine.Option;

/** {@code --help} for every command. Only the long form: {@code run} uses {@code -h} for {@code --hostname}, as Docker does. */
final class HelpOption {
    @Option(names = "--help", usageHelp = true, description = "show this help and exit")
    boolean help;
}
