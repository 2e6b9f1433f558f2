package dev.ctrnet.api.firewall;

import dev.ctrnet.api.UserInput;
import dev.ctrnet.api.kernel.LinkRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The host-side interfaces of a {@link FirewallZone}: those by which its containers' traffic enters and leaves
 * the host. A bridge network has one, its bridge. A routed network, with a host link per container (as CNI's
 * {@code ptp} plugin makes them), names them by a prefix they all share, or lists them, each attachment adding
 * the one it made ({@link dev.ctrnet.api.Attachment#hostInterface()}). Every name is checked against the
 * interface grammar here, so a backend may print it in a rule.
 *
 * @param names interfaces by their whole name, iterated in name order, the prefix's left out (it covers them); may
 *     be empty (a network whose containers name their host links as they attach, before any has)
 * @param prefix interfaces by the start of their name: every interface whose name begins with it, 1 to 14
 *     characters of the interface grammar ({@link LinkRequest#requireName})
 * @since 2.6
 */
public record HostInterfaces(Set<String> names, Optional<String> prefix) {
    /** The longest prefix: one character shorter than the longest interface name, so it leaves room for one. */
    public static final int MAX_PREFIX = 14;

    public HostInterfaces {
        Objects.requireNonNull(prefix, "prefix");
        prefix.ifPresent(p -> {
            if (LinkRequest.requireName(p).length() > MAX_PREFIX) {
                throw new IllegalArgumentException(UserInput.quote(p) + " is not an interface name prefix: use 1 to "
                        + MAX_PREFIX + " characters, leaving room for the rest of a name");
            }
        });
        TreeSet<String> sorted = new TreeSet<>();
        for (String name : Objects.requireNonNull(names, "names")) {
            // a name the prefix covers would be a second, overlapping element of a backend's interface set
            if (prefix.filter(LinkRequest.requireName(name)::startsWith).isEmpty()) {
                sorted.add(name);
            }
        }
        names = Collections.unmodifiableSortedSet(sorted);
    }

    /** One interface, by name: a bridge network's bridge. */
    public static HostInterfaces of(String name) {
        return new HostInterfaces(Set.of(name), Optional.empty());
    }

    /** The interfaces with these names. */
    public static HostInterfaces named(Collection<String> names) {
        return new HostInterfaces(Set.copyOf(names), Optional.empty());
    }

    /** Every interface whose name starts with {@code prefix}. */
    public static HostInterfaces prefixed(String prefix) {
        return new HostInterfaces(Set.of(), Optional.of(prefix));
    }

    /** The one interface these are, when they are exactly one name and no prefix: a bridge network's bridge. */
    public Optional<String> single() {
        return names.size() == 1 && prefix.isEmpty() ? Optional.of(names.iterator().next()) : Optional.empty();
    }

    /** Whether no interface is named yet, by name or by prefix. */
    public boolean isEmpty() {
        return names.isEmpty() && prefix.isEmpty();
    }

    /** Whether the interface named {@code name} is one of these. */
    public boolean contains(String name) {
        return names.contains(name) || prefix.filter(name::startsWith).isPresent();
    }

    /**
     * Whether an interface could be one of these and one of {@code other}'s: two zones that overlap could not
     * be told apart by the firewall, so a plan never holds two.
     */
    public boolean overlaps(HostInterfaces other) {
        return names.stream().anyMatch(other::contains) || other.names.stream().anyMatch(this::contains)
                || (prefix.isPresent() && other.prefix.isPresent()
                        && (prefix.get().startsWith(other.prefix.get()) || other.prefix.get().startsWith(prefix.get())));
    }

    /** These interfaces and the one named {@code name}. */
    public HostInterfaces with(String name) {
        if (contains(name)) {
            return this;
        }
        Set<String> more = new TreeSet<>(names);
        more.add(name);
        return new HostInterfaces(more, prefix);
    }

    /** These interfaces without the one named {@code name} (a prefix stays). */
    public HostInterfaces without(String name) {
        if (!names.contains(name)) {
            return this;
        }
        Set<String> fewer = new TreeSet<>(names);
        fewer.remove(name);
        return new HostInterfaces(fewer, prefix);
    }

    /**
     * The interfaces as patterns, names first in name order, then the prefix followed by {@code wildcard}: nft's
     * {@code *}, iptables' {@code +}.
     */
    public List<String> patterns(String wildcard) {
        List<String> out = new ArrayList<>(names);
        prefix.ifPresent(p -> out.add(p + wildcard));
        return out;
    }

    /** For messages: {@code bridge0}, {@code a, b}, {@code pt1a2b3c*}, or {@code none yet}. */
    public String describe() {
        return isEmpty() ? "none yet" : String.join(", ", patterns("*"));
    }
}
