package dev.ctrnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.SpiVersion;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The documentation is part of the project and says what this build is: the CLI contract lives in the repository
 * and the README links it, every link leads to a file of the repository, and where the docs say which SPI version
 * this ctrnet has, it is {@link SpiVersion#string()}.
 */
class DocsTest {
    private static final Path REPO = Ctrnet.REPO.toAbsolutePath().normalize();
    /** How the docs say which SPI version the runtime has: one phrase, so that it can be checked. */
    private static final Pattern CLAIM = Pattern.compile("(?i)this ctrnet has SPI (\\d+\\.\\d+)");
    private static final Pattern MENTION = Pattern.compile("\\bSPI (\\d+)\\.(\\d+)");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Set<String> NOT_DOCS = Set.of("target", ".git", "node_modules");

    @Test
    void theReadmeLinksTheCliContractInTheRepository() throws IOException {
        assertTrue(Files.isRegularFile(REPO.resolve("docs/cli.md")));
        assertTrue(Files.readString(REPO.resolve("README.md")).contains("](docs/cli.md)"), "the README links docs/cli.md");
    }

    @Test
    void everyLinkLeadsToAFileOfTheRepository() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path doc : docs()) {
            Matcher link = LINK.matcher(Files.readString(doc));
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("(?i)(https?|mailto):.*") || target.startsWith("#")) {
                    continue;
                }
                Path file = doc.getParent().resolve(target.replaceFirst("#.*", "")).normalize();
                if (target.startsWith("/") || !file.startsWith(REPO) || !Files.exists(file)) {
                    broken.add(REPO.relativize(doc) + ": " + target);
                }
            }
        }
        assertEquals(List.of(), broken, "links that lead outside the repository or nowhere");
    }

    @Test
    void theDocsSayTheSpiVersionThisCtrnetHas() throws IOException {
        for (String doc : List.of("README.md", "docs/writing-a-driver.md")) {
            assertTrue(CLAIM.matcher(Files.readString(REPO.resolve(doc))).find(), doc + " says which SPI this ctrnet has");
        }
        List<String> wrong = new ArrayList<>();
        for (Path doc : docs()) {
            String text = Files.readString(doc);
            Matcher claim = CLAIM.matcher(text);
            while (claim.find()) {
                if (!claim.group(1).equals(SpiVersion.string())) {
                    wrong.add(REPO.relativize(doc) + ": " + claim.group());
                }
            }
            Matcher mention = MENTION.matcher(text);
            while (mention.find()) {
                int major = Integer.parseInt(mention.group(1));
                int minor = Integer.parseInt(mention.group(2));
                if (major > SpiVersion.MAJOR || major == SpiVersion.MAJOR && minor > SpiVersion.MINOR) {
                    wrong.add(REPO.relativize(doc) + ": " + mention.group() + ", which is not yet");
                }
            }
        }
        assertEquals(List.of(), wrong, "this ctrnet has SPI " + SpiVersion.string());
    }

    @Test
    void theDriverGuideSaysWhatEveryMinorVersionAdded() throws IOException {
        String guide = Files.readString(REPO.resolve("docs/writing-a-driver.md"));
        int start = guide.indexOf("## 7. Compatibility");
        assertTrue(start >= 0, "the guide has its Compatibility section");
        int end = guide.indexOf("\n## ", start + 1);
        String section = guide.substring(start, end < 0 ? guide.length() : end);
        for (int minor = 1; minor <= SpiVersion.MINOR; minor++) {
            String version = SpiVersion.MAJOR + "." + minor;
            assertTrue(Pattern.compile("\\b" + Pattern.quote(version) + "\\s").matcher(section).find(),
                    "the Compatibility section says what " + version + " added");
        }
    }

    /** The project's Markdown files, without build output. */
    private static List<Path> docs() throws IOException {
        List<Path> docs = new ArrayList<>();
        Files.walkFileTree(REPO, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return NOT_DOCS.contains(dir.getFileName().toString()) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (file.toString().endsWith(".md")) {
                    docs.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        docs.sort(null);
        return docs;
    }
}
