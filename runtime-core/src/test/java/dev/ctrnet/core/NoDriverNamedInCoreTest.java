package dev.ctrnet.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.core.plugin.DriverCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The core never names a concrete driver or backend: what exists is what the drivers and backends found say
 * (their built-in networks, their preference). Its main sources are read as a compiler would, without comments:
 * no string literal may be a driver's or backend's name, and no code or literal may name one of their classes or
 * packages, nor may the core depend on their modules but in tests. A few words are also the kernel's or the
 * system's; where a source uses one in that sense, it is allowed below, file by file, with the reason.
 */
class NoDriverNamedInCoreTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/ctrnet/core");
    private static final Path REPO = Path.of(System.getProperty("ctrnet.repo", ".."));

    /** Literals that are a driver's or backend's name but mean something else where they are used. */
    private static final Map<String, Set<String>> OTHER_MEANINGS = Map.of(
            // the kernel's link kind, which a bridge port names as its master's kind
            "kernel/LinkMessages.java", Set.of("bridge"),
            // the link kind again, and the value of ip's addrgenmode that turns link-local addresses off
            "dryrun/ScriptedNetlink.java", Set.of("bridge", "none"),
            // mount(2)'s source when a mount has no device
            "kernel/NativeNamespaces.java", Set.of("none"),
            "container/ThreadLaunch.java", Set.of("none"),
            // nftables' address family of bridge frames, whose chains doctor does not judge
            "HostChecks.java", Set.of("bridge"),
            // the distribution packages that hold nft and iptables-restore, for the sentence that says what to install
            "kernel/ProcessPrograms.java", Set.of("nftables", "iptables"),
            // a word of generated container names
            "Containers.java", Set.of("bridge"),
            // a parameter's name, for its null check
            "topology/Topology.java", Set.of("bridge"),
            // the key of a firewall zone's interface in firewall.json
            "state/StateCodec.java", Set.of("bridge"));

    private static final Pattern CONCRETE_PACKAGE = Pattern.compile("dev\\.ctrnet\\.(driver|nat|examples)\\b");

    @Test
    void theCoresMainSourcesNameNoConcreteDriverOrBackend() throws IOException {
        Set<String> names = serviceNames();
        Set<String> classes = serviceClasses();
        assertTrue(names.containsAll(Set.of("bridge", "host", "none", "nftables", "iptables")), "found " + names);
        assertTrue(classes.contains("BridgeDriver") && classes.contains("MacvlanDriver"), "found " + classes);

        List<String> findings = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String relative = SOURCES.relativize(file).toString();
                Set<String> allowed = OTHER_MEANINGS.getOrDefault(relative, Set.of());
                findings.addAll(namings(relative, Files.readString(file), names, classes, allowed));
            }
        }

        assertEquals(List.of(), findings, "the core must ask the drivers and backends, not name them");
    }

    @Test
    void theCoreDependsOnTheConcreteModulesOnlyInTests() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher dependency = Pattern.compile("(?s)<dependency>(.*?)</dependency>").matcher(pom);
        List<String> outsideTests = new ArrayList<>();
        while (dependency.find()) {
            String d = dependency.group(1);
            if (d.matches("(?s).*<artifactId>(driver|nat)-[^<]*</artifactId>.*") && !d.contains("<scope>test</scope>")) {
                outsideTests.add(d.trim());
            }
        }
        assertEquals(List.of(), outsideTests);
    }

    @Test
    void theReadingFindsANameInCodeAndIgnoresItInComments() {
        Set<String> names = Set.of("bridge", "nftables");
        Set<String> classes = Set.of("BridgeDriver");
        String source = """
                /* the "bridge" driver, in a comment */
                class X { // "nftables" is preferred
                    String escaped = "a \\"quoted\\" word";
                    char quote = '"';
                    boolean b = driver.equals("bridge");
                    Object d = new dev.ctrnet.driver.bridge.BridgeDriver();
                    String text = \"""
                        nftables
                        \""";
                }
                """;

        assertEquals(List.of("X.java:5 names \"bridge\"", "X.java:7 names \"nftables\"",
                        "X.java:6 names dev.ctrnet.driver", "X.java:6 names BridgeDriver"),
                namings("X.java", source, names, classes, Set.of()));
        assertEquals(List.of("X.java:6 names dev.ctrnet.driver", "X.java:6 names BridgeDriver"),
                namings("X.java", source, names, classes, Set.of("bridge", "nftables")));
        assertFalse(namings("X.java", "String s = \"nftables-ish\";", names, classes, Set.of()).iterator().hasNext(),
                "a longer word is another word");
    }

    /** Where {@code source} names a service ({@code names}) in a literal, or a class or package of one anywhere. */
    private static List<String> namings(String file, String source, Set<String> names, Set<String> classes,
            Set<String> allowed) {
        List<String> found = new ArrayList<>();
        JavaText text = JavaText.read(source);
        for (JavaText.Literal literal : text.literals()) {
            if (names.contains(literal.value()) && !allowed.contains(literal.value())) {
                found.add(file + ":" + literal.line() + " names \"" + literal.value() + "\"");
            }
        }
        String[] code = text.code().split("\n", -1);
        for (int i = 0; i < code.length; i++) {
            Matcher pkg = CONCRETE_PACKAGE.matcher(code[i]);
            while (pkg.find()) {
                found.add(file + ":" + (i + 1) + " names " + pkg.group());
            }
            for (String cls : classes) {
                if (Pattern.compile("\\b" + cls + "\\b").matcher(code[i]).find()) {
                    found.add(file + ":" + (i + 1) + " names " + cls);
                }
            }
        }
        for (JavaText.Literal literal : text.literals()) {
            Matcher pkg = CONCRETE_PACKAGE.matcher(literal.value());
            if (pkg.find()) {
                found.add(file + ":" + literal.line() + " names " + pkg.group());
            }
        }
        return found;
    }

    /** The names of the drivers and backends on this module's test class path: the project's own. */
    private static Set<String> serviceNames() {
        DriverCatalog catalog = DriverCatalog.load(List.of(NoDriverNamedInCoreTest.class.getClassLoader()));
        Set<String> names = new TreeSet<>();
        catalog.drivers().forEach(e -> names.add(e.service().name()));
        catalog.backends().forEach(e -> names.add(e.service().name()));
        return names;
    }

    /** The simple names of every driver and backend class the project's modules and examples list as services. */
    private static Set<String> serviceClasses() throws IOException {
        Set<String> classes = new TreeSet<>();
        for (Path parent : List.of(REPO, REPO.resolve("examples"))) {
            try (Stream<Path> modules = Files.list(parent)) {
                for (Path services : modules.map(m -> m.resolve("src/main/resources/META-INF/services"))
                        .filter(Files::isDirectory).toList()) {
                    try (Stream<Path> files = Files.list(services)) {
                        for (Path f : files.toList()) {
                            Files.readAllLines(f).stream().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                                    .map(l -> l.substring(l.lastIndexOf('.') + 1)).forEach(classes::add);
                        }
                    }
                }
            }
        }
        return classes;
    }

    /**
     * Java source split as a compiler reads it: the string literals (text blocks included) with the line each starts
     * on, and the code with comments and literals blanked out, lines kept.
     */
    private record JavaText(List<Literal> literals, String code) {
        record Literal(String value, int line) {}

        static JavaText read(String s) {
            List<Literal> literals = new ArrayList<>();
            StringBuilder code = new StringBuilder();
            int line = 1;
            int i = 0;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (s.startsWith("//", i)) {
                    while (i < s.length() && s.charAt(i) != '\n') {
                        i++;
                    }
                } else if (s.startsWith("/*", i)) {
                    int end = s.indexOf("*/", i + 2);
                    end = end < 0 ? s.length() : end + 2;
                    line += blankLines(s, i, end, code);
                    i = end;
                } else if (s.startsWith("\"\"\"", i)) {
                    int end = s.indexOf("\"\"\"", i + 3);
                    end = end < 0 ? s.length() : end + 3;
                    literals.add(new Literal(s.substring(i + 3, Math.max(i + 3, end - 3)).strip(), line));
                    line += blankLines(s, i, end, code);
                    i = end;
                } else if (c == '"' || c == '\'') {
                    int j = i + 1;
                    StringBuilder value = new StringBuilder();
                    while (j < s.length() && s.charAt(j) != c && s.charAt(j) != '\n') {
                        if (s.charAt(j) == '\\' && j + 1 < s.length()) {
                            j++;
                        }
                        value.append(s.charAt(j));
                        j++;
                    }
                    if (c == '"') {
                        literals.add(new Literal(value.toString(), line));
                    }
                    code.append("\"\"");
                    i = j + 1;
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    code.append(c);
                    i++;
                }
            }
            return new JavaText(literals, code.toString());
        }

        /** Appends the line breaks of {@code s[from, to)} to {@code code}, and says how many there were. */
        private static int blankLines(String s, int from, int to, StringBuilder code) {
            int n = (int) s.substring(from, to).chars().filter(ch -> ch == '\n').count();
            code.append("\n".repeat(n));
            return n;
        }
    }
}
