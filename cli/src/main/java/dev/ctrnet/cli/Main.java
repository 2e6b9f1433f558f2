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
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code ctrnet}: the command line. Errors end as one {@code ctrnet: …} line and a non-zero status. */
@Command(name = "ctrnet", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
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

    @Option(names = "--no-daemon", scope = ScopeType.INHERIT,
            description = "run in this process, not through the ctrnet service (env CTRNET_NO_DAEMON=1)")
    boolean noDaemon;

    /** Set once, when the command it was prepared for runs. */
    private Invocation invocation;
    private Runtime runtime;

    private Main() {}

    /** Runs the command in this process (see {@link Client} for the usual way in). */
    public static void main(String[] args) {
        configureLogging(args, System.getenv());
        System.exit(execute(args, Invocation.ofThisProcess()));
    }

    /** Runs the command line for {@code invocation} and returns its exit status. */
    static int execute(String[] args, Invocation invocation) {
        return prepare(commandName(args)).execute(args, invocation);
    }

    /**
     * The command line of command {@code invoked} (all of them when empty), made ready to run once: picocli's
     * model of it, which takes milliseconds of reflection to build, so that the service can build it before a
     * client asks (see {@link PreparedCommands}).
     */
    static Prepared prepare(Optional<String> invoked) {
        Main main = new Main();
        CommandLine cli = new CommandLine(main);
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
        return new Prepared(main, cli);
    }

    /** A command line that {@link #prepare} made: it runs one command line, once. */
    static final class Prepared {
        private final Main main;
        private final CommandLine cli;

        private Prepared(Main main, CommandLine cli) {
            this.main = main;
            this.cli = cli;
        }

        /** Runs {@code args} for {@code invocation} and returns the exit status. */
        int execute(String[] args, Invocation invocation) {
            if (main.invocation != null) {
                // picocli keeps what it parsed in the command objects: a second run would see the first's options
                throw new IllegalStateException("a prepared command line runs once");
            }
            main.invocation = invocation;
            try {
                return cli.execute(args);
            } finally {
                main.closeRuntime();
            }
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

    /** The names of ctrnet's commands, in the order its help lists them. */
    static java.util.Set<String> commandNames() {
        return COMMANDS.keySet();
    }

    /** The command's name, if it is one of ours: the first word after the global options. */
    static Optional<String> commandName(String[] args) {
        return Client.firstWord(args).filter(COMMANDS::containsKey);
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
        m.put("topology", TopologyCommand::new);
        m.put("drivers", DriversCommand::new);
        m.put("system", SystemCommand::new);
        m.put("doctor", DoctorCommand::new);
        m.put("service", ServiceCommand::new);
        return m;
    }

    /** The runtime of the chosen state root, opened on first use. */
    Runtime runtime() {
        if (runtime == null) {
            Path rootDir = invocation.resolve(root.or(() -> invocation.env("CTRNET_ROOT").map(Path::of))
                    .orElse(RuntimeConfig.DEFAULT_ROOT));
            String natChoice = nat.or(() -> invocation.env("CTRNET_NAT")).orElse("auto").toLowerCase(Locale.ROOT);
            Optional<Path> plugins = pluginDir.or(() -> invocation.env("CTRNET_PLUGIN_DIR").map(Path::of))
                    .map(invocation::resolve);
            Optional<String> launcher = Optional.ofNullable(System.getProperty("ctrnet.launcher"));
            runtime = Runtime.open(RuntimeConfig.forRoot(rootDir, natChoice, plugins, launcher));
        }
        return runtime;
    }

    /** The environment, directory, streams and signals of this run. */
    Invocation invocation() {
        return invocation;
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

    /** Sets SLF4J's level once per JVM: from {@code --log-level}, else {@code CTRNET_LOG}, else warn. */
    static void configureLogging(String[] args, Map<String, String> environment) {
        String level = Optional.ofNullable(environment.get("CTRNET_LOG")).filter(v -> !v.isEmpty()).orElse("warn");
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

    /** {@code --version} for picocli: {@link Version#text()}. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {Version.text()};
        }
    }
}
