package dev.ctrnet.core;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.UserInput;
import dev.ctrnet.api.testing.HostileInput;
import dev.ctrnet.core.container.ContainerSpec;
import dev.ctrnet.core.container.Privileges;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * What {@code run} and the global options take, fed hostile strings: each is refused with a clean one-line
 * message, or accepted only in its grammar (names reach paths, process arguments and the kernel; an
 * environment key is a word of the launch command).
 */
class RequestGrammarProperties {
    /** Where a string goes in a request, with the characters anything accepted there is made of. */
    enum Field {
        NAME(s -> spec(Optional.of(s), "bridge", Optional.empty(), Map.of()), "[A-Za-z0-9_.-]+"),
        NETWORK(s -> spec(Optional.empty(), s, Optional.empty(), Map.of()), "[A-Za-z0-9_.-]+"),
        HOSTNAME(s -> spec(Optional.empty(), "bridge", Optional.of(s), Map.of()), "[A-Za-z0-9.-]+"),
        ENV_KEY(s -> spec(Optional.empty(), "bridge", Optional.empty(), Map.of(s, "v")), "[A-Za-z0-9_.-]+"),
        ENV_VALUE(s -> spec(Optional.empty(), "bridge", Optional.empty(), Map.of("K", s)), "[^\\x00]*"),
        NAT(s -> RuntimeConfig.forRoot(Path.of("/tmp/r"), s, Optional.empty(), Optional.empty()), "[a-z0-9_.-]+");

        private final Function<String, Object> request;
        private final String accepted;

        Field(Function<String, Object> request, String accepted) {
            this.request = request;
            this.accepted = accepted;
        }
    }

    @Provide
    Arbitrary<String> hostile() {
        return HostileInput.strings();
    }

    @Property(tries = 1500)
    void aValueIsRefusedCleanlyOrAcceptedInItsGrammar(@ForAll("hostile") String value, @ForAll Field field) {
        if (!HostileInput.refusedCleanly(() -> field.request.apply(value))) {
            assertTrue(value.matches(field.accepted), field + " accepted " + UserInput.quote(value));
        }
    }

    @Example
    void emptyFoldersAreRefusedRatherThanTakenForTheWorkingFolder() {
        assertThrows(IllegalArgumentException.class,
                () -> RuntimeConfig.forRoot(Path.of(""), "auto", Optional.empty(), Optional.empty()));
        assertThrows(IllegalArgumentException.class,
                () -> RuntimeConfig.forRoot(Path.of("/tmp/r"), "auto", Optional.of(Path.of("")), Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> new ContainerSpec(Optional.empty(), "bridge", List.of(),
                Optional.empty(), Optional.empty(), Optional.of(Path.of("")), Map.of(), List.of("true"), false, false,
                Privileges.dockerDefaults()));
    }

    private static ContainerSpec spec(Optional<String> name, String network, Optional<String> hostname,
            Map<String, String> env) {
        return new ContainerSpec(name, network, List.of(), Optional.empty(), hostname, Optional.empty(), env,
                List.of("true"), false, false, Privileges.dockerDefaults());
    }
}
