package io.ctxlock.explore;

import io.ctxlock.alloc.AllocatorScenario;
import io.ctxlock.alloc.KernelConfig;
import io.ctxlock.alloc.KernelModel;
import io.ctxlock.alloc.PageAllocator;
import io.ctxlock.alloc.Slub;
import io.ctxlock.api.Cpu;
import io.ctxlock.api.KernelLock;
import io.ctxlock.api.Machine;
import io.ctxlock.api.Tracer;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The RFC's question answered per configuration: what each proposal covers (from the matrix at
 * depth 1 and 2), what it costs in memory on a UP kernel (from the kernel's structure sizes,
 * {@link Sizes}, and lock counts the user may change, {@link LockCounts}), what it costs at run
 * time (lock+unlock of the model's backend relative to the stateless UP lock, and the hardware
 * operation the proposal adds, from {@link Costs}), and which call sites of the kernel it touches
 * (counted from the allocator model's own call sites).
 */
public final class Proposals {
    /** The configurations of the table: the proposals, with UP as it is and UP_DEBUG and RT for reference. */
    public static final List<KernelConfig> CONFIGS = List.of(KernelConfig.UP, KernelConfig.UP_DEBUG, KernelConfig.A,
            KernelConfig.B, KernelConfig.C, KernelConfig.D, KernelConfig.E, KernelConfig.RT);

    /** The scenarios a proposal is judged on: S1-S8, the UP bug's (the cross-CPU X1-X3 need two CPUs). */
    public static final List<AllocatorScenario> SCENARIOS = java.util.Arrays.stream(AllocatorScenario.values())
            .filter(s -> !s.crossCpu()).toList();

    /** One row. {@code relativeCost} is NaN where the model has no backend for it (RT's rtmutex). */
    public record Row(KernelConfig config, List<String> cleanDepth1, List<String> cleanDepth2, List<String> holes,
            Sizes.PerLock bytesPerLock, long bytesTotal, double relativeCost, String hardwareOp, double hardwareCost,
            List<String> callSites) {
        /** Coverage as "6/8 (depth 2: 5/8)". */
        public String coverage() {
            int n = SCENARIOS.size();
            return cleanDepth1.size() + "/" + n + " (depth 2: " + cleanDepth2.size() + "/" + n + ")";
        }
    }

    private Proposals() {}

    /** The table, with the given lock counts and cost figures. */
    public static List<Row> table(LockCounts counts, Costs costs) {
        List<AllocatorScenario> all = SCENARIOS;
        Matrix d1 = Matrix.run(all, CONFIGS, 1);
        Matrix d2 = Matrix.run(all, CONFIGS, 2);
        Sites sites = Sites.count();
        List<Row> rows = new ArrayList<>();
        for (KernelConfig c : CONFIGS) {
            List<String> holes = new ArrayList<>();
            List<String> clean1 = clean(d1, c, holes, "");
            List<String> clean2 = clean(d2, c, holes, " (depth 2 only)");
            Sizes.PerLock perLock = Sizes.perLock(c);
            rows.add(new Row(c, clean1, clean2, holes, perLock, perLock.total(counts), costs.relative(c),
                    Costs.hardwareOp(c), costs.hardware(c), sites.of(c)));
        }
        return rows;
    }

    private static List<String> clean(Matrix m, KernelConfig c, List<String> holes, String suffix) {
        List<String> clean = new ArrayList<>();
        for (Matrix.Cell cell : m.cells()) {
            if (cell.config() != c) {
                continue;
            }
            if (cell.result().verdict() == Verdict.CLEAN) {
                clean.add(cell.scenario().name());
            } else {
                    RunResult f = cell.result().firstFailure();
                if (holes.stream().noneMatch(h -> h.startsWith(cell.scenario() + ":"))) { // depth 1 named it first
                    holes.add(cell.scenario() + ":" + suffix + " " + f.invariant() + " at " + f.label());
                }
            }
        }
        return clean;
    }

    /** The call sites each proposal touches, counted from the allocator model. */
    record Sites(List<String> pcpLockSites, List<String> anyContextClasses, List<String> nolockEntries) {
        List<String> of(KernelConfig c) {
            switch (c) {
                case C:
                    return pcpLockSites;
                case D:
                    return anyContextClasses;
                case E:
                    return nolockEntries;
                default:
                    return List.of(); // A, B: the spinlock implementation changes, no caller does; UP, references
            }
        }

        /**
         * Runs every scenario once on SMP and records which allocator methods take a pcp lock and
         * which lock classes of the any-context kind are taken; the {@code _nolock} entries are the
         * public {@code *Nolock} methods of the page allocator and SLUB.
         */
        static Sites count() {
            Set<String> pcp = new TreeSet<>();
            Set<String> classes = new TreeSet<>();
            for (AllocatorScenario s : SCENARIOS) {
                Machine m = AllocatorCells.machine(KernelConfig.SMP);
                KernelModel k = KernelModel.boot(m, KernelConfig.SMP);
                AllocatorScenario.Run run = s.start(k, m.cpu(0));
                m.setTracer(new Tracer() {
                    @Override
                    public void acquired(Cpu cpu, KernelLock lock) {
                        if (lock.lockClass().isAnyContext()) {
                            classes.add(lock.lockClass().name());
                        }
                        if (lock.lockClass().name().equals(PageAllocator.PCP_LOCK_CLASS)) {
                            StackWalker.getInstance().walk(f -> f.filter(x -> x.getClassName().startsWith("io.ctxlock.alloc.")
                                    && !x.getClassName().endsWith(".PcpDrain")) // its phases; the caller is the kernel function
                                    .findFirst()).ifPresent(x -> pcp.add(x.getMethodName()));
                        }
                    }
                });
                run.task(m.cpu(0));
                run.interrupts().forEach(i -> m.cpu(0).run(i.kind(), i.name(), i.handler()));
            }
            List<String> nolock = new ArrayList<>();
            for (Class<?> type : new Class<?>[] {PageAllocator.class, Slub.class}) {
                for (Method meth : type.getDeclaredMethods()) {
                    if (Modifier.isPublic(meth.getModifiers()) && meth.getName().endsWith("Nolock")) {
                        nolock.add(type.getSimpleName() + "." + meth.getName());
                    }
                }
            }
            nolock.sort(null);
            return new Sites(List.copyOf(pcp), List.copyOf(classes), List.copyOf(nolock));
        }
    }

    /** Renders the table as text ({@code md} false) or Markdown. */
    public static String render(List<Row> rows, LockCounts counts, Costs costs, boolean md) {
        StringBuilder sb = new StringBuilder();
        String[] head = {"config", "clean (of 8)", "holes", "B/lock (pcp,zone,list,barn,other)", "bytes total",
            "lock+unlock x UP", "adds", "call sites"};
        List<String[]> lines = new ArrayList<>();
        for (Row r : rows) {
            lines.add(new String[] {r.config().name(), r.coverage(), r.holes().isEmpty() ? "none" : String.join("; ",
                    r.holes()), r.bytesPerLock().toString(), String.valueOf(r.bytesTotal()),
                Double.isNaN(r.relativeCost()) ? "n/a" : String.format("%.2f", r.relativeCost()),
                r.hardwareOp() + (Double.isNaN(r.hardwareCost()) ? "" : String.format(" (%.2f ns)", r.hardwareCost())),
                r.callSites().size() + (r.callSites().isEmpty() ? "" : ": " + String.join(", ", r.callSites()))});
        }
        if (md) {
            sb.append("| ").append(String.join(" | ", head)).append(" |\n|");
            sb.append("---|".repeat(head.length)).append('\n');
            for (String[] l : lines) {
                sb.append("| ").append(String.join(" | ", l)).append(" |\n");
            }
        } else {
            for (String[] l : lines) {
                sb.append(l[0]).append('\n');
                for (int i = 1; i < head.length; i++) {
                    sb.append(String.format("  %-34s %s%n", head[i] + ":", l[i]));
                }
            }
        }
        sb.append('\n').append("Lock counts (UP kernel): ").append(counts).append('\n')
                .append("Sizes: ").append(Sizes.CITATIONS).append('\n')
                .append("Run-time figures: ").append(costs.source()).append('\n');
        return sb.toString();
    }

    /** The table as JSON: one object per configuration. */
    public static String json(List<Row> rows, LockCounts counts, Costs costs) {
        StringBuilder sb = new StringBuilder("{\"schema\":").append(Reports.SCHEMA).append(",\"lockCounts\":")
                .append(counts.json()).append(",\"costSource\":").append(Reports.str(costs.source()))
                .append(",\"configurations\":[");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            sb.append(i == 0 ? "\n" : ",\n").append("{\"config\":").append(Reports.str(r.config().name()))
                    .append(",\"coverage\":{\"depth1\":").append(strings(r.cleanDepth1())).append(",\"depth2\":")
                    .append(strings(r.cleanDepth2())).append("},\"holes\":").append(strings(r.holes()))
                    .append(",\"bytesPerLock\":").append(r.bytesPerLock().json()).append(",\"bytesTotal\":")
                    .append(r.bytesTotal()).append(",\"relativeCost\":")
                    .append(Double.isNaN(r.relativeCost()) ? "null" : String.format("%.3f", r.relativeCost()))
                    .append(",\"hardwareOp\":").append(Reports.str(r.hardwareOp())).append(",\"callSites\":")
                    .append(strings(r.callSites())).append('}');
        }
        return sb.append("\n]}\n").toString();
    }

    private static String strings(List<String> items) {
        StringBuilder sb = new StringBuilder("[");
        for (String s : items) {
            sb.append(sb.length() == 1 ? "" : ",").append(Reports.str(s));
        }
        return sb.append(']').toString();
    }

    /** For tests: the per-configuration rows by name. */
    static Map<KernelConfig, Row> byConfig(List<Row> rows) {
        Map<KernelConfig, Row> m = new java.util.EnumMap<>(KernelConfig.class);
        rows.forEach(r -> m.put(r.config(), r));
        return m;
    }
}
