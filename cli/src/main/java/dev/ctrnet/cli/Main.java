package dev.ctrnet.cli;

import dev.ctrnet.api.UserInput;
import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.core.CtrnetException;
import dev.ctrnet.core.Runtime;
import dev.ctrnet.core.RuntimeConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code ctrnet}: the command line. Errors end as one {@code ctrnet: …} line and a non-zero status. */
@Command(name = "ctrnet", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Container networking, as the tutorials build it by hand: namespaces, veth pairs, a bridge, NAT.")
public final class Main {
    /**
     * The commands, in help order. Only the one invoked is handed to picocli: building its model by
     * reflection costs milliseconds per command, and a short-lived CLI pays that at every start.
     */
    private static final Map<String, Supplier<Object>> COMMANDS = commands();

    /** Exit status for failures of ctrnet itself (Docker's convention for {@code run}). */
    static final int FAILED = 125;

    @Option(names = "--root", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "state root (env CTRNET_ROOT, default /var/lib/ctrnet)")
    Optional<Path> root = Optional.empty();

    @Option(names = "--nat", scope = ScopeType.INHERIT, paramLabel = "iptables|nftables|auto",
            description = "NAT backend (env CTRNET_NAT, default auto)")
    Optional<String> nat = Optional.empty();

    @Option(names = "--plugin-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "extra driver and backend jars (env CTRNET_PLUGIN_DIR)")
    Optional<Path> pluginDir = Optional.empty();

    @Option(names = "--log-level", scope = ScopeType.INHERIT, paramLabel = "LEVEL",
            description = "diagnostics on stderr: error, warn, info, debug, trace (env CTRNET_LOG, default warn)")
    Optional<String> logLevel = Optional.empty();

    private Runtime runtime;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit status. */
    static int execute(String[] args) {
        configureLogging(args);
        Main main = new Main();
        CommandLine cli = new CommandLine(main);
        Optional<String> invoked = commandName(args);
        COMMANDS.forEach((name, command) -> {
            if (invoked.isEmpty() || invoked.get().equals(name)) {
                cli.addSubcommand(name, command.get());
            }
        });
        // after the commands are added: picocli hands settings only to the subcommands it already has
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> main.report(e));
        cli.setParameterExceptionHandler((e, args2) -> {
            printError(e.getMessage() + " (see '" + e.getCommandLine().getCommandName() + " --help')");
            return 2;
        });
        try {
            return cli.execute(args);
        } finally {
            main.closeRuntime();
        }
    }

    /**
     * Runs {@code action} for each name, as Docker's rm and stop do: a failure is reported and the
     * others still run; the status says whether all succeeded. Each success prints the name.
     */
    static int eachName(List<String> names, Consumer<String> action) {
        int status = 0;
        for (String name : names) {
            try {
                action.accept(name);
                System.out.println(name);
            } catch (CtrnetException | KernelException | IllegalArgumentException e) {
                printError(e.getMessage());
                status = 1;
            }
        }
        return status;
    }

    /**
     * Prints one {@code ctrnet: …} line on stderr: every error the CLI reports goes through here, and
     * whatever the message holds (user input with line breaks or control characters, another program's
     * output) it stays one line.
     */
    static void printError(String message) {
        System.err.println("ctrnet: " + UserInput.oneLine(message));
    }

    /** The first argument that is not a global option (or its value): the command's name, if known. */
    static Optional<String> commandName(String[] args) {
        Set<String> withValue = Set.of("--root", "--nat", "--plugin-dir", "--log-level");
        for (int i = 0; i < args.length; i++) {
            if (withValue.contains(args[i])) {
                i++;
            } else if (!args[i].startsWith("-")) {
                return COMMANDS.containsKey(args[i]) ? Optional.of(args[i]) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("run", RunCommand::new);
        m.put("exec", ExecCommand::new);
        m.put("ps", PsCommand::new);
        m.put("inspect", InspectCommand::new);
        m.put("port", PortCommand::new);
        m.put("logs", LogsCommand::new);
        m.put("stop", StopCommand::new);
        m.put("rm", RmCommand::new);
        m.put("network", NetworkCommand::new);
        m.put("drivers", DriversCommand::new);
        m.put("system", SystemCommand::new);
        return m;
    }

    /** The runtime of the chosen state root, opened on first use. */
    Runtime runtime() {
        if (runtime == null) {
            Path rootDir = root.or(() -> env("CTRNET_ROOT").map(Path::of)).orElse(RuntimeConfig.DEFAULT_ROOT);
            String natChoice = nat.or(() -> env("CTRNET_NAT")).orElse("auto").toLowerCase(Locale.ROOT);
            Optional<Path> plugins = pluginDir.or(() -> env("CTRNET_PLUGIN_DIR").map(Path::of));
            Optional<String> launcher = Optional.ofNullable(System.getProperty("ctrnet.launcher"));
            runtime = Runtime.open(RuntimeConfig.forRoot(rootDir, natChoice, plugins, launcher));
        }
        return runtime;
    }

    void closeRuntime() {
        if (runtime != null) {
            runtime.close();
            runtime = null;
        }
    }

    private int report(Exception e) {
        boolean expected = e instanceof CtrnetException || e instanceof KernelException
                || e instanceof IllegalArgumentException;
        String message = expected ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
        printError(message);
        if (org.slf4j.LoggerFactory.getLogger(Main.class).isDebugEnabled()) {
            e.printStackTrace();
        }
        return FAILED;
    }

    private static void configureLogging(String[] args) {
        String level = env("CTRNET_LOG").orElse("warn");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--log-level") && i + 1 < args.length) {
                level = args[i + 1];
            } else if (args[i].startsWith("--log-level=")) {
                level = args[i].substring("--log-level=".length());
            } else if (args[i].equals("--")) {
                break;
            }
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level.toLowerCase(Locale.ROOT));
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isEmpty());
    }

    /** {@code --version}: the CLI's version and the SPI's. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Optional.ofNullable(Main.class.getPackage().getImplementationVersion()).orElse("dev");
            return new String[] {"ctrnet " + version + " (SPI " + dev.ctrnet.api.SpiVersion.string() + ")"};
        }
    }
}
