package dev.ctrnet.api.kernel;

import dev.ctrnet.api.net.MacAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A link to create.
 *
 * @param name the new link's name (1–15 characters, no '/', no white space)
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
    public LinkRequest {
        requireName(name);
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(mtu, "mtu");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(master, "master");
        Objects.requireNonNull(namespace, "namespace");
        mtu.ifPresent(m -> {
            if (m < 68 || m > 65535) {
                throw new IllegalArgumentException("MTU " + m + " is outside 68–65535");
            }
        });
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

    /** Checks a link name the way the kernel does ({@code dev_valid_name}). */
    public static String requireName(String name) {
        if (name == null || name.isEmpty() || name.length() > 15 || name.equals(".") || name.equals("..")
                || name.chars().anyMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c) || c < 0x21)) {
            throw new IllegalArgumentException("'" + name
                    + "' is not a valid interface name: 1 to 15 characters, no '/', ':' or white space");
        }
        return name;
    }
}
