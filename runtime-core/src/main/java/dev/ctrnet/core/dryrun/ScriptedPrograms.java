package dev.ctrnet.core.dryrun;

import dev.ctrnet.api.kernel.Nftables;
import dev.ctrnet.api.kernel.Programs;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The firewall tools of a dry run: a backend's rule scripts ({@code nft -f -}, {@code iptables-restore}) are
 * written down with their input as a here-document instead of run, while what only reads or checks
 * ({@code iptables-save}, {@code nft -c}, {@code --test}, {@code --version}) runs for real, so that the backend
 * decides as it would. nftables' library, when the backend would use it, is written down as {@code nft -f -},
 * which runs the same script the same way.
 */
public final class ScriptedPrograms implements Programs {
    /** Programs that only read the rules. */
    private static final Set<String> READERS = Set.of("iptables-save", "ip6tables-save");
    /** Arguments that make a tool check or describe rather than change. */
    private static final Set<String> CHECKS = Set.of("-c", "--check", "--test", "--version", "-V", "list");

    private final Programs real;
    private final ShellScript script;
    private String why = "the firewall's rules";

    /**
     * @param real the tools, for what only reads
     * @param script where the steps go
     */
    public ScriptedPrograms(Programs real, ShellScript script) {
        this.real = real;
        this.script = script;
    }

    /** Says why the next rule scripts are sent: the firewall knows, the tool does not. */
    public void because(String reason) {
        why = reason;
    }

    @Override
    public Result run(List<String> command, String input) {
        if (readsOnly(command)) {
            return real.run(command, input);
        }
        if (input.isEmpty()) {
            script.add(why, command);
        } else {
            script.addWithInput(why, command, input);
        }
        return new Result(0, "", "");
    }

    @Override
    public boolean exists(String program) {
        return real.exists(program);
    }

    @Override
    public Optional<Nftables> nftables() {
        return Optional.of(new Nftables() {
            @Override
            public Result run(String rules) {
                return ScriptedPrograms.this.run(List.of("nft", "-f", "-"), rules);
            }

            @Override
            public Result check(String rules) {
                return real.nftables().map(library -> library.check(rules))
                        .orElseGet(() -> real.run(List.of("nft", "-c", "-f", "-"), rules));
            }
        });
    }

    private static boolean readsOnly(List<String> command) {
        String program = Path.of(command.get(0)).getFileName().toString();
        return READERS.contains(program) || command.stream().skip(1).anyMatch(CHECKS::contains);
    }
}
