package dev.ctrnet.core.firewall;

import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.firewall.FirewallZone;
import dev.ctrnet.api.firewall.PublishedPort;
import java.util.ArrayList;
import java.util.List;

/** What moving from one firewall plan to another does, in words: a dry run's comment on a rule change. */
final class PlanChange {
    /** More ports than this are counted rather than listed. */
    private static final int LISTED = 3;

    private PlanChange() {}

    /** What moving from {@code before} to {@code after} adds and takes away. */
    static String between(FirewallPlan before, FirewallPlan after) {
        List<String> parts = new ArrayList<>();
        after.zones().stream().filter(z -> !before.zones().contains(z)).forEach(z -> parts.add(zone(z)));
        before.zones().stream().filter(z -> after.zones().stream().noneMatch(a -> a.network().equals(z.network())))
                .forEach(z -> parts.add("no more network " + z.network()));
        ports("publish", after.portsMissingFrom(before), parts);
        ports("unpublish", before.portsMissingFrom(after), parts);
        if ((after.forwardingGuard() && !before.forwardingGuard())
                || (after.forwardingGuard6() && !before.forwardingGuard6())) {
            parts.add(guard());
        }
        return parts.isEmpty() ? "rule set " + after.name() + " as it stands" : String.join("; ", parts);
    }

    /** What {@code plan} holds, for a rule set written whole. */
    static String whole(FirewallPlan plan) {
        List<String> parts = new ArrayList<>();
        plan.zones().forEach(z -> parts.add(zone(z)));
        ports("publish", plan.ports(), parts);
        if (plan.forwardingGuard() || plan.forwardingGuard6()) {
            parts.add(guard());
        }
        return "rule set " + plan.name() + " written whole" + (parts.isEmpty() ? ", empty" : ": " + String.join("; ", parts));
    }

    private static String zone(FirewallZone z) {
        String kind = z.internal() ? "internal" : z.masquerade() ? "masqueraded to the outside" : "not masqueraded";
        String behind = z.interfaces().single().map(bridge -> "bridge " + bridge)
                .orElseGet(() -> "interfaces " + z.interfaces().describe());
        return "network " + z.network() + " behind " + behind + " (" + z.subnet()
                + z.subnet6().map(s -> " and " + s).orElse("") + ", " + kind + ")";
    }

    private static void ports(String verb, List<PublishedPort> ports, List<String> parts) {
        if (ports.size() > LISTED) {
            parts.add(verb + " " + ports.size() + " ports");
            return;
        }
        for (PublishedPort p : ports) {
            parts.add(verb + " " + p.mapping().describe() + " of container " + p.container());
        }
    }

    private static String guard() {
        return "forward only to and from ctrnet's networks' interfaces (forwarding was off before ctrnet turned it on)";
    }
}
