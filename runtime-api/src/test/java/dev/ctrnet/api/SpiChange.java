package dev.ctrnet.api;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * How the SPI's surface moved from a recorded version to the code, and whether {@link SpiVersion}
 * moved as the compatibility rule demands: anything removed or changed, or an abstract method added
 * to an existing type that plugins implement, needs a new MAJOR; anything only added (methods added
 * to a {@link ProvidedByRuntime} interface included) needs at least a new MINOR.
 *
 * @param removed lines recorded but no longer in the code (removed or changed signatures)
 * @param added lines in the code but not recorded
 * @param breaking whether a compiled plugin can break
 */
record SpiChange(Set<String> removed, Set<String> added, boolean breaking) {
    /** Compares the recorded lines with the code's, for types plugins may implement. */
    static SpiChange between(List<String> recorded, List<String> actual) {
        return between(recorded, actual, type -> false);
    }

    /**
     * Compares the recorded lines with the code's.
     *
     * @param providedByRuntime whether a type (by name) is only implemented by the runtime
     */
    static SpiChange between(List<String> recorded, List<String> actual, Predicate<String> providedByRuntime) {
        Set<String> removed = new LinkedHashSet<>(recorded);
        removed.removeAll(actual);
        Set<String> added = new LinkedHashSet<>(actual);
        added.removeAll(recorded);
        Set<String> recordedTypes = recorded.stream().map(ApiSignature::typeOf).collect(Collectors.toSet());
        boolean breaking = !removed.isEmpty() || added.stream()
                .anyMatch(l -> ApiSignature.isAbstractMethod(l) && recordedTypes.contains(ApiSignature.typeOf(l))
                        && !providedByRuntime.test(ApiSignature.typeOf(l)));
        return new SpiChange(removed, added, breaking);
    }

    /** Whether anything moved. */
    boolean any() {
        return !removed.isEmpty() || !added.isEmpty();
    }

    /**
     * Why going from version {@code fromMajor.fromMinor} to {@code toMajor.toMinor} breaks the rule for
     * this change, or empty when it does not.
     */
    Optional<String> violation(int fromMajor, int fromMinor, int toMajor, int toMinor) {
        if (toMajor < fromMajor || toMajor == fromMajor && toMinor < fromMinor) {
            return Optional.of("SpiVersion went back from " + fromMajor + "." + fromMinor + " to " + toMajor + "." + toMinor);
        }
        if (breaking && toMajor == fromMajor) {
            return Optional.of("the SPI changed incompatibly (a signature removed or changed, or an abstract method"
                    + " added) but SpiVersion.MAJOR is still " + toMajor + ": bump MAJOR, or add a default method instead\n"
                    + describe());
        }
        if (any() && toMajor == fromMajor && toMinor == fromMinor) {
            return Optional.of("the SPI gained signatures but SpiVersion is still " + toMajor + "." + toMinor
                    + ": bump MINOR\n" + describe());
        }
        return Optional.empty();
    }

    /** The moved lines, for a failure message. */
    String describe() {
        StringBuilder s = new StringBuilder();
        removed.forEach(l -> s.append("  - ").append(l).append('\n'));
        added.forEach(l -> s.append("  + ").append(l).append('\n'));
        return s.toString();
    }
}
