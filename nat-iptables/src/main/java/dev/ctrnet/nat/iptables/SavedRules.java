package dev.ctrnet.nat.iptables;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What {@code iptables-save} reported, reduced to what this backend owns: its jumps and its chains.
 *
 * @param lines the output, one line per element, as printed
 */
record SavedRules(List<String> lines) {
    /** The chains this backend creates, by table. */
    static final List<String> NAT_CHAINS = List.of("CTRNET-PREROUTING", "CTRNET-OUTPUT", "CTRNET-POSTROUTING",
            "CTRNET-DNAT");
    static final List<String> FILTER_CHAINS = List.of("CTRNET-FORWARD");

    /** Parses iptables-save output. */
    static SavedRules parse(String output) {
        return new SavedRules(output.lines().toList());
    }

    /** The jumps that are not in place. */
    Set<Jump> missingJumps() {
        Set<Jump> missing = EnumSet.allOf(Jump.class);
        missing.removeAll(jumps("nat"));
        missing.removeAll(jumps("filter"));
        return missing;
    }

    /** Every copy of every jump of {@code table} that is in place. */
    List<Jump> jumps(String table) {
        List<Jump> found = new ArrayList<>();
        inTable(table).forEach(line -> Stream.of(Jump.values())
                .filter(j -> j.table().equals(table) && j.saved().equals(line))
                .forEach(found::add));
        return found;
    }

    /** The chains of this backend that exist in {@code table}. */
    List<String> ownChains(String table) {
        List<String> declared = inTable(table).filter(line -> line.startsWith(":"))
                .map(line -> line.substring(1, line.indexOf(' '))).toList();
        return (table.equals("nat") ? NAT_CHAINS : FILTER_CHAINS).stream().filter(declared::contains).toList();
    }

    private Stream<String> inTable(String table) {
        List<String> section = new ArrayList<>();
        boolean inside = false;
        for (String line : lines) {
            if (line.startsWith("*")) {
                inside = line.equals("*" + table);
            } else if (inside) {
                section.add(line);
            }
        }
        return section.stream();
    }
}
