import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The mutation profile's score per module with cross-module tests: a mutant of a module's code
 * counts as detected if the module's own tests kill it, or the tests of a module whose PIT run has
 * crossModule on (lock-up's and lock-smp's, which mutate lock-api's code too). Detected is PIT's:
 * killed, timed out, or a memory or run error. Reads {@code <module>/target/pit-reports/mutations.xml}
 * of every module, requires each scored module's own report, writes the union's survivors to
 * {@code target/mutation-survivors.txt} (two runs can be compared with diff) and fails below a
 * module's threshold (rounded as PIT rounds).
 *
 * <p>Usage: {@code java build/MutationUnion.java <root> module=threshold...}
 */
public final class MutationUnion {
    private record Mutant(String module, String key) {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        Map<String, Integer> thresholds = new TreeMap<>();
        for (int i = 1; i < args.length; i++) {
            String[] kv = args[i].split("=");
            thresholds.put(kv[0], Integer.parseInt(kv[1]));
        }
        Map<Mutant, Boolean> killed = new TreeMap<>((a, b) -> (a.module + "\u0000" + a.key)
                .compareTo(b.module + "\u0000" + b.key));
        int unowned = 0;
        Map<String, int[]> ownOnly = new TreeMap<>();
        List<Path> reports;
        try (Stream<Path> s = Files.list(root)) {
            reports = s.map(d -> d.resolve("target/pit-reports/mutations.xml")).filter(Files::exists).sorted().toList();
        }
        for (Path report : reports) {
            String tests = report.getParent().getParent().getParent().getFileName().toString();
            NodeList ms = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile())
                    .getElementsByTagName("mutation");
            for (int i = 0; i < ms.getLength(); i++) {
                Element m = (Element) ms.item(i);
                String cls = text(m, "mutatedClass");
                String module = owner(root, cls);
                if (module == null) {
                    unowned++;
                    continue;
                }
                if (!thresholds.containsKey(module)) {
                    continue; // a module scored by PIT's own threshold only
                }
                String key = cls + "|" + text(m, "mutatedMethod") + text(m, "methodDescription") + "|"
                        + text(m, "lineNumber") + "|" + text(m, "mutator") + "|" + indexes(m) + "|"
                        + text(m, "description");
                boolean detected = "true".equals(m.getAttribute("detected"));
                killed.merge(new Mutant(module, key), detected, Boolean::logicalOr);
                if (module.equals(tests)) {
                    int[] c = ownOnly.computeIfAbsent(module, k -> new int[2]);
                    c[0] += detected ? 1 : 0;
                    c[1]++;
                }
            }
        }
        List<String> survivors = new ArrayList<>();
        Map<String, int[]> union = new TreeMap<>();
        killed.forEach((m, k) -> {
            int[] c = union.computeIfAbsent(m.module, x -> new int[2]);
            c[0] += k ? 1 : 0;
            c[1]++;
            if (!k) {
                survivors.add(m.module + " " + m.key);
            }
        });
        Files.createDirectories(root.resolve("target"));
        Files.write(root.resolve("target/mutation-survivors.txt"), survivors);
        boolean failed = false;
        System.out.println("[mutation] module: own tests -> with the crossModule runs' tests (threshold)");
        for (Map.Entry<String, Integer> t : thresholds.entrySet()) {
            int[] u = union.get(t.getKey());
            int[] o = ownOnly.get(t.getKey());
            if (u == null || o == null) {
                System.out.println("[mutation] " + t.getKey() + ": no report of its own (run the whole profile)");
                failed = true;
                continue;
            }
            int score = Math.round(100f * u[0] / u[1]);
            System.out.printf("[mutation] %s: %d/%d -> %d/%d = %d%% (%d%%)%n", t.getKey(), o[0], o[1], u[0], u[1],
                    score, t.getValue());
            failed |= score < t.getValue();
        }
        System.out.println("[mutation] survivors: " + root.resolve("target/mutation-survivors.txt")
                + (unowned == 0 ? "" : "; " + unowned + " mutants of classes no module owns were skipped"));
        if (failed) {
            System.exit(1);
        }
    }

    private static String text(Element m, String tag) {
        NodeList n = m.getElementsByTagName(tag);
        return n.getLength() == 0 ? "" : n.item(0).getTextContent();
    }

    private static String indexes(Element m) {
        NodeList n = m.getElementsByTagName("index");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n.getLength(); i++) {
            b.append(i == 0 ? "" : ",").append(n.item(i).getTextContent());
        }
        return b.toString();
    }

    private static String owner(Path root, String cls) throws Exception {
        String file = "target/classes/" + cls.replace('.', '/') + ".class";
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(d -> Files.exists(d.resolve(file))).map(d -> d.getFileName().toString()).findFirst()
                    .orElse(null);
        }
    }
}
