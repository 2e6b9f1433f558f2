package dev.ctrnet.api.kernel;

import dev.ctrnet.api.UserInput;
import dev.ctrnet.api.net.MacAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A link to create.
 *
 * @param name the new link's name (see {@link #requireName})
 * @param kind what kind of link
 * @param mtu its MTU, or the kernel's default
 * @param mac its MAC, or a random one
 * @param master the bridge to enslave it to, in the same namespace
 * @param namespace where the link is born, when not the namespace the request is sent to
 * @param up whether to bring it up at once
 */
public record LinkRequest(
        String name,
        LinkKind kind,
        Optional<Integer> mtu,
        Optional<MacAddress> mac,
        Optional<String> master,
        Optional<NetworkNamespace> namespace,
        boolean up) {
    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");
    private static final int MIN_MTU = 68;
    private static final int MAX_MTU = 65535;

    public LinkRequest {
        requireName(name);
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(mtu, "mtu");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(master, "master");
        Objects.requireNonNull(namespace, "namespace");
        mtu.ifPresent(LinkRequest::requireMtu);
        master.ifPresent(LinkRequest::requireName);
    }

    /** A request with only a name and a kind; the rest defaults. */
    public static LinkRequest of(String name, LinkKind kind) {
        return new LinkRequest(name, kind, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false);
    }

    /** This request with an MTU. */
    public LinkRequest withMtu(int value) {
        return new LinkRequest(name, kind, Optional.of(value), mac, master, namespace, up);
    }

    /** This request with a MAC. */
    public LinkRequest withMac(MacAddress value) {
        return new LinkRequest(name, kind, mtu, Optional.of(value), master, namespace, up);
    }

    /** This request with a master bridge. */
    public LinkRequest withMaster(String value) {
        return new LinkRequest(name, kind, mtu, mac, Optional.of(value), namespace, up);
    }

    /** This request born in another namespace. */
    public LinkRequest inNamespace(NetworkNamespace value) {
        return new LinkRequest(name, kind, mtu, mac, master, Optional.of(value), up);
    }

    /** This request brought up on creation. */
    public LinkRequest withUp() {
        return new LinkRequest(name, kind, mtu, mac, master, namespace, true);
    }

    /**
     * Returns {@code name} when it is a valid interface name: 1 to 15 of ASCII letters, digits, '_', '.' and
     * '-', not {@code .} or {@code ..}. The kernel allows more ({@code dev_valid_name}), but these names
     * reach rule scripts and {@code /proc/sys} paths, where this grammar cannot break out of its place.
     *
     * @throws IllegalArgumentException naming the rule
     */
    public static String requireName(String name) {
        if (name == null || !VALID_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException(UserInput.quote(name) + " is not a valid interface name: use 1 to 15"
                    + " ASCII letters, digits, '_', '.' and '-' (not '.' or '..')");
        }
        return name;
    }

    /**
     * Returns {@code mtu} when the kernel can give a link that MTU: 68 (IPv4's minimum) to 65535.
     *
     * @throws IllegalArgumentException naming the range
     */
    public static int requireMtu(int mtu) {
        if (mtu < MIN_MTU || mtu > MAX_MTU) {
            throw new IllegalArgumentException("MTU " + mtu + " is outside " + MIN_MTU + "–" + MAX_MTU);
        }
        return mtu;
    }
}
