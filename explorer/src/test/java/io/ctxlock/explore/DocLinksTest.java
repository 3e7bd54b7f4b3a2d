package io.ctxlock.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link and every repository path written in README.md, CHANGELOG.md and docs/
 * exists: a guide that points at a moved file fails the build. Build outputs ({@code target/}) and
 * web addresses are not checked.
 */
class DocLinksTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");
    private static final Pattern PATH = Pattern.compile("`((?:lock-api|lock-up|lock-smp|allocator-model|explorer|"
            + "jcstress-tests|benchmarks|bom|docs|bin|jpms-consumer)/[^`\\s]*)`");

    @Test
    void everyRelativeLinkAndPathInTheDocsExists() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("CHANGELOG.md")));
        try (Stream<Path> s = Files.list(ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).forEach(docs::add);
        }
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (Path doc : docs) {
            String text = Files.readString(doc);
            Matcher l = LINK.matcher(text);
            while (l.find()) {
                String target = l.group(1);
                if (target.contains("://") || target.startsWith("mailto:")) {
                    continue;
                }
                checked++;
                Path resolved = doc.getParent().resolve(target).normalize();
                if (!resolved.startsWith(ROOT) || !Files.exists(resolved)) {
                    missing.add(ROOT.relativize(doc) + ": link " + target + (resolved.startsWith(ROOT) ? ""
                            : " (outside the repository)"));
                }
            }
            Matcher p = PATH.matcher(text);
            while (p.find()) {
                String path = p.group(1);
                if (path.contains("/target/") || path.contains("*")) {
                    continue;
                }
                checked++;
                if (!Files.exists(ROOT.resolve(path))) {
                    missing.add(ROOT.relativize(doc) + ": path " + path);
                }
            }
        }
        assertEquals(List.of(), missing, checked + " links and paths checked");
    }
}
