package io.ctxlock.explore;

import io.ctxlock.alloc.KernelConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Run-time figures for the proposals: uncontended lock+unlock of each configuration's backend
 * ({@code LockPathBench.lockUnlock}) relative to the stateless UP lock, and the hardware operation
 * each proposal adds with its cost ({@code BaselineBench}: a no-op, a plain int store, a CAS with a
 * release store), read from a RESULTS.md produced by the benchmarks module: the shipped one of the
 * last full run, or a fresh quick run ({@code ctxlock proposals --measure}).
 */
public final class Costs {
    private static final Pattern ROW = Pattern.compile("^\\| ([A-Za-z]+\\.[A-Za-z]+(?:\\[[\\w-]+\\])?) \\| ([0-9.]+) \\|.*");
    private static final Pattern HEADER = Pattern.compile("^Machine: (\\d+) CPUs; JVM: ([^;]+); date: ([0-9-]+)\\..*");

    private final Map<String, Double> ns;
    private final String source;

    private Costs(Map<String, Double> ns, String source) {
        this.ns = ns;
        this.source = source;
    }

    /** The figures of the RESULTS.md shipped in this jar (the last full benchmark run). */
    public static Costs shipped() {
        try (InputStream in = Costs.class.getResourceAsStream("/io/ctxlock/explore/RESULTS.md")) {
            if (in == null) {
                throw new IllegalStateException("benchmarks/RESULTS.md is missing from the jar");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "benchmarks/RESULTS.md");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a RESULTS.md; {@code origin} names where it came from. */
    public static Costs parse(String text, String origin) {
        Map<String, Double> ns = new HashMap<>();
        String where = origin;
        for (String line : text.split("\n")) {
            Matcher h = HEADER.matcher(line);
            if (h.matches()) {
                where = origin + " of " + h.group(3) + " (" + h.group(1) + " CPUs, " + h.group(2) + ")";
            }
            Matcher r = ROW.matcher(line);
            if (r.matches()) {
                ns.putIfAbsent(r.group(1), Double.parseDouble(r.group(2)));
            }
        }
        return new Costs(ns, where);
    }

    public String source() {
        return source;
    }

    /** ns per operation of a benchmark row, or NaN if the results do not have it. */
    public double ns(String benchmark) {
        return ns.getOrDefault(benchmark, Double.NaN);
    }

    /** lock+unlock of {@code config}'s backend / lock+unlock of the stateless UP lock; NaN for RT (rtmutex not modeled). */
    public double relative(KernelConfig config) {
        String backend = backend(config);
        return backend == null ? Double.NaN
                : ns("LockPathBench.lockUnlock[" + backend + "]") / ns("LockPathBench.lockUnlock[up-stateless]");
    }

    /**
     * The benchmark parameter of the backend a configuration runs on in the model: its backend name
     * without a shared-word class list (the benchmark's one lock class shares alike); null for the
     * 2-CPU configurations, whose costs are not UP's.
     */
    static String backend(KernelConfig config) {
        return config.cpus() > 1 ? null : config.backend().replaceFirst(":.*", "");
    }

    /** The hardware operation a configuration adds to a lock+unlock on UP. */
    public static String hardwareOp(KernelConfig config) {
        switch (config) {
            case UP:
                return "nothing (pcp sections pay a local_irq_save/restore pair instead)";
            case UP_DEBUG:
            case B:
                return "a plain store per lock and unlock";
            case D:
                return "a plain store per lock and unlock, any-context locks only";
            case A:
                return "an atomic RMW per lock (lock cmpxchg), a store per unlock";
            case C:
                return "an atomic RMW per pcp lock (atomic_try_cmpxchg)";
            case E:
                return "nothing per lock; an in_nmi() test per _nolock call";
            default:
                return "an rtmutex (not modeled)";
        }
    }

    /** ns of the hardware operation of {@link #hardwareOp}, from BaselineBench, or NaN. */
    public double hardware(KernelConfig config) {
        switch (config) {
            case UP_DEBUG:
            case B:
            case D:
                return ns("BaselineBench.plainInt");
            case A:
            case C:
                return ns("BaselineBench.casSetRelease");
            case UP:
            case E:
                return ns("BaselineBench.noop");
            default:
                return Double.NaN;
        }
    }
}
