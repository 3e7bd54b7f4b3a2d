package io.ctxlock.jcstress;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs jcstress in a child JVM and fails where jcstress itself would exit 0 although nothing was
 * proved: a {@code -t} regex that matched no test ("No matching tests"), a test skipped because it
 * has more actors than CPUs ("No scheduling is possible"), and a run whose final tally
 * ("Results: N planned; N passed, ...") is missing, empty, or not all passed.
 * A forbidden outcome or an actor exception makes jcstress exit 1, which is passed on.
 *
 * <p>Usage: {@code java -cp jcstress.jar io.ctxlock.jcstress.CiRunner jcstress.jar <jcstress options>}
 */
public final class CiRunner {
    private static final List<String> FATAL = List.of("No matching tests", "No scheduling is possible");
    private static final Pattern RESULTS = Pattern.compile(
            "Results: (\\d+) planned; (\\d+) passed, (\\d+) failed, (\\d+) soft errs, (\\d+) hard errs");

    private CiRunner() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-jar", args[0]));
        cmd.addAll(List.of(args).subList(1, args.length));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> problems = new ArrayList<>();
        String last = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                System.out.println(line);
                for (String f : FATAL) {
                    if (line.contains(f)) {
                        problems.add(line.trim());
                    }
                }
                Matcher m = RESULTS.matcher(line);
                if (m.find()) {
                    last = m.group();
                }
            }
        }
        int status = p.waitFor();
        Matcher m = last == null ? null : RESULTS.matcher(last);
        boolean allPassed = m != null && m.find() && Integer.parseInt(m.group(1)) > 0
                && m.group(1).equals(m.group(2)) && m.group(3).equals("0") && m.group(4).equals("0")
                && m.group(5).equals("0");
        if (status != 0 || !problems.isEmpty() || !allPassed) {
            System.out.println("jcstress CI selection FAILED: exit " + status + ", last tally: " + last
                    + (problems.isEmpty() ? "" : ", " + problems));
            System.exit(status != 0 ? status : 1);
        }
        System.out.println("jcstress CI selection passed.");
    }

    private static String javaBin() {
        return System.getProperty("java.home") + "/bin/java";
    }
}
