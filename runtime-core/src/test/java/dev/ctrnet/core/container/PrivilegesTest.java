package dev.ctrnet.core.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Docker's rules for --cap-add, --cap-drop and --privileged. */
class PrivilegesTest {
    @Test
    void theDefaultsAreDockersSet() {
        Privileges defaults = Privileges.of(false, List.of(), List.of());
        assertEquals(0xa80425fbL, mask(defaults.capabilities()), "CapEff of a Docker container");
        assertTrue(defaults.noNewPrivileges());
    }

    @Test
    void dropsComeOffTheDefaultsAndAddsGoOn() {
        Privileges tweaked = Privileges.of(false, List.of("cap_net_admin"), List.of("Net_Raw", "CAP_MKNOD"));
        assertEquals(0xa80425fbL & ~(1L << 13) & ~(1L << 27) | 1L << 12, mask(tweaked.capabilities()));
    }

    @Test
    void allWorksEitherWay() {
        Set<Capability> allButAdmin = EnumSet.allOf(Capability.class);
        allButAdmin.remove(Capability.SYS_ADMIN);
        assertEquals(allButAdmin, Privileges.of(false, List.of("all"), List.of("SYS_ADMIN")).capabilities());
        assertEquals(Set.of(Capability.KILL), Privileges.of(false, List.of("KILL"), List.of("ALL")).capabilities());
    }

    @Test
    void privilegedOverridesTheRest() {
        Privileges privileged = Privileges.of(true, List.of("NET_ADMIN"), List.of("ALL"));
        assertEquals(Privileges.unconfined(), privileged);
        assertTrue(privileged.privileged() && !privileged.noNewPrivileges());
    }

    @Test
    void anUnknownNameIsRefusedInOneLine() {
        var e = assertThrows(IllegalArgumentException.class, () -> Privileges.of(false, List.of("NET_WIZARD\nx"), List.of()));
        assertTrue(e.getMessage().startsWith("unknown capability 'NET_WIZARD\\nx'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Privileges.of(false, List.of(), List.of("CAP_")));
    }

    private static long mask(Set<Capability> caps) {
        return caps.stream().mapToLong(c -> 1L << c.ordinal()).reduce(0, (a, b) -> a | b);
    }
}
