package dev.ctrnet.core.container;

import static dev.ctrnet.core.container.Capability.AUDIT_WRITE;
import static dev.ctrnet.core.container.Capability.CHOWN;
import static dev.ctrnet.core.container.Capability.DAC_OVERRIDE;
import static dev.ctrnet.core.container.Capability.FOWNER;
import static dev.ctrnet.core.container.Capability.FSETID;
import static dev.ctrnet.core.container.Capability.KILL;
import static dev.ctrnet.core.container.Capability.MKNOD;
import static dev.ctrnet.core.container.Capability.NET_BIND_SERVICE;
import static dev.ctrnet.core.container.Capability.NET_RAW;
import static dev.ctrnet.core.container.Capability.SETFCAP;
import static dev.ctrnet.core.container.Capability.SETGID;
import static dev.ctrnet.core.container.Capability.SETPCAP;
import static dev.ctrnet.core.container.Capability.SETUID;
import static dev.ctrnet.core.container.Capability.SYS_CHROOT;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What a container's processes may do, decided as Docker decides it.
 *
 * <p>Confined (the default), they hold exactly {@code capabilities}, in the bounding, permitted and
 * effective sets alike (nothing inheritable or ambient), under {@code no_new_privs}, so that neither a
 * setuid binary nor a file capability gives them more. Privileged ({@code --privileged}), they keep
 * every capability ctrnet itself has, without {@code no_new_privs}.
 *
 * @param privileged whether the container opts out of confinement
 * @param capabilities what a confined container's processes hold; empty when privileged
 */
public record Privileges(boolean privileged, Set<Capability> capabilities) {
    /** Docker's default set, as moby's {@code oci/caps/defaults.go} lists it. */
    private static final Set<Capability> DOCKER_DEFAULTS = Collections.unmodifiableSet(EnumSet.of(CHOWN, DAC_OVERRIDE,
            FSETID, FOWNER, MKNOD, NET_RAW, SETGID, SETUID, SETFCAP, SETPCAP, NET_BIND_SERVICE, SYS_CHROOT, KILL,
            AUDIT_WRITE));

    public Privileges {
        EnumSet<Capability> copy = EnumSet.noneOf(Capability.class);
        copy.addAll(capabilities);
        capabilities = Collections.unmodifiableSet(copy);
        if (privileged && !capabilities.isEmpty()) {
            throw new IllegalArgumentException("a privileged container keeps every capability; name none");
        }
    }

    /** Docker's defaults: its capability set and no_new_privs. */
    public static Privileges dockerDefaults() {
        return new Privileges(false, DOCKER_DEFAULTS);
    }

    /** {@code --privileged}: every capability ctrnet has, no no_new_privs. */
    public static Privileges unconfined() {
        return new Privileges(true, Set.of());
    }

    /**
     * What {@code run}'s flags ask for, by Docker's rules: {@code --privileged} gives everything and
     * overrides the rest; {@code --cap-add ALL} gives every capability but those dropped;
     * {@code --cap-drop ALL} keeps only those added; otherwise the defaults, less those dropped, plus
     * those added.
     */
    public static Privileges of(boolean privileged, List<String> add, List<String> drop) {
        Set<Capability> added = named(add);
        Set<Capability> dropped = named(drop);
        if (privileged) {
            return unconfined();
        }
        EnumSet<Capability> caps;
        if (isAll(add)) {
            caps = EnumSet.allOf(Capability.class);
            caps.removeAll(dropped);
        } else if (isAll(drop)) {
            caps = EnumSet.noneOf(Capability.class);
            caps.addAll(added);
        } else {
            caps = EnumSet.copyOf(DOCKER_DEFAULTS);
            caps.removeAll(dropped);
            caps.addAll(added);
        }
        return new Privileges(false, caps);
    }

    /** Whether the kernel's {@code no_new_privs} is set for the container's processes. */
    public boolean noNewPrivileges() {
        return !privileged;
    }

    /** The capabilities named, {@code ALL} aside; an unknown name is refused. */
    private static Set<Capability> named(List<String> names) {
        EnumSet<Capability> caps = EnumSet.noneOf(Capability.class);
        names.stream().filter(n -> !n.equalsIgnoreCase("ALL")).map(Capability::parse).forEach(caps::add);
        return caps;
    }

    private static boolean isAll(List<String> names) {
        return names.stream().anyMatch(n -> n.equalsIgnoreCase("ALL"));
    }
}
