package io.ctxlock.bench;

import java.util.Locale;
import java.util.Map;

/** RESULTS.md from one run's scores: ratios against same-run baselines, targets met or missed. */
final class ResultsReport {
    private ResultsReport() {}

    static String markdown(Map<String, double[]> s, Map<String, Long> footprint, String layouts, String jvm, int cpus,
            String date) {
        StringBuilder sb = new StringBuilder("# Benchmark results\n\n");
        sb.append("Machine: ").append(cpus).append(" CPUs; JVM: ").append(jvm).append("; date: ").append(date)
                .append(".\nFlags: JMH 1.37, 1 fork, 3 x 1 s warm-up, 5 x 1 s measurement, `-prof gc`, `-Xmx2g`.\n")
                .append("Command: `java -Djdk.attach.allowAttachSelf=true -jar benchmarks/target/benchmarks.jar`\n")
                .append("(after `./mvnw -q -B -DskipTests -Djcstress.ci.skip=true package`).\n")
                .append("Every ratio divides by a baseline measured in this same run; absolute figures are shown\n")
                .append("only to read the ratios by. One fork on a shared 2-core machine: expect a few percent of noise.\n\n");
        double noop = score(s, "BaselineBench.noop");
        double plain = score(s, "BaselineBench.plainInt");
        double cas = score(s, "BaselineBench.casSetRelease");
        double rl = score(s, "BaselineBench.reentrantTryLock");
        sb.append("## Uncontended acquire+release (ns/op, ratio to baselines)\n\n")
                .append("| benchmark | ns/op | ± | x CAS+setRelease | x ReentrantLock | x plain int | B/op |\n|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, double[]> e : s.entrySet()) {
            String k = e.getKey();
            if (k.startsWith("LockPathBench") || k.startsWith("BaselineBench") || k.startsWith("ContextBench")) {
                double[] v = e.getValue();
                sb.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.1f |%n", k, v[0], v[1],
                        v[0] / cas, v[0] / rl, v[0] / plain, v[2]));
            }
        }
        sb.append("\n## Contended: two threads, two CPUs, one lock (acquisitions per us)\n\n| benchmark | ops/us | ± | x ReentrantLock | x CAS pair | B/op |\n|---|---|---|---|---|---|\n");
        double crl = score(s, "ContendedBench.reentrantLock");
        double ccas = score(s, "ContendedBench.casPair");
        for (Map.Entry<String, double[]> e : s.entrySet()) {
            if (e.getKey().startsWith("ContendedBench")) {
                double[] v = e.getValue();
                sb.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f | %.1f |%n", e.getKey(), v[0], v[1],
                        v[0] / crl, v[0] / ccas, v[2]));
            }
        }
        double one = score(s, "AllocatorBench.oneCpu");
        double two = score(s, "AllocatorBench.twoCpus");
        double global = score(s, "AllocatorBench.twoCpusGlobalLock");
        sb.append("\n## Allocator: kmalloc(64)+kfree pairs on the fast path (pairs per us)\n\n| benchmark | pairs/us | x global-lock model | B/op |\n|---|---|---|---|\n");
        for (String k : new String[] {"AllocatorBench.oneCpu", "AllocatorBench.twoCpus", "AllocatorBench.twoCpusGlobalLock",
            "AllocatorBench.twoPrivateMachines"}) {
            double[] v = s.get(k);
            if (v != null) {
                sb.append(String.format(Locale.ROOT, "| %s | %.3f | %.2f | %.1f |%n", k, v[0], v[0] / global, v[2]));
            }
        }
        double explore = score(s, "ExploreBench.exploreS3OnUp");
        sb.append(String.format(Locale.ROOT, "%n## Exploration throughput%n%nS3 on UP, depth 1: %.1f explorations/s, "
                + "%.0f injected runs/s (5 injected runs per exploration), %.0f machines booted and run per second "
                + "(with the counting run and the traced re-run).%n", explore, explore * 5,
                explore * ExploreBench.RUNS_PER_EXPLORATION));
        sb.append("\n## Footprint per lock instance (JOL, bytes)\n\n| lock | bytes | x ReentrantLock |\n|---|---|---|\n");
        long rlBytes = footprint.getOrDefault("ReentrantLock (baseline)", 48L);
        for (Map.Entry<String, Long> e : footprint.entrySet()) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.2f |%n", e.getKey(), e.getValue(),
                    e.getValue() / (double) rlBytes));
        }
        sb.append("\n<details><summary>Layouts (SMP TTAS handle and word)</summary>\n\n```\n").append(layouts)
                .append("```\n</details>\n\n## Targets\n\n| target | figure | verdict |\n|---|---|---|\n");
        double ttas = score(s, "LockPathBench.trylockUnlock[smp-ttas]");
        target(sb, "SMP TTAS trylock+unlock <= 1.15x CAS+setRelease", ttas / cas, ttas / cas <= 1.15);
        target(sb, "SMP TTAS trylock+unlock <= 0.6x ReentrantLock", ttas / rl, ttas / rl <= 0.6);
        double stateful = score(s, "LockPathBench.trylockUnlock[up-stateful]");
        target(sb, "UP STATEFUL trylock+unlock <= 2x plain int", stateful / plain, stateful / plain <= 2);
        double stateless = score(s, "LockPathBench.trylockUnlock[up-stateless]");
        double[] n = s.get("BaselineBench.noop");
        double[] st = s.get("LockPathBench.trylockUnlock[up-stateless]");
        boolean noise = n != null && st != null && st[0] - n[0] <= Math.max(n[1] + st[1], 0.5);
        target(sb, "UP STATELESS trylock+unlock within noise of no-op (difference <= the errors, or 0.5 ns)",
                stateless / noop, noise);
        double maxAlloc = 0;
        for (Map.Entry<String, double[]> e : s.entrySet()) {
            if (e.getKey().startsWith("LockPathBench") || e.getKey().startsWith("ContextBench")
                    || e.getKey().startsWith("ContendedBench.smp")) {
                maxAlloc = Math.max(maxAlloc, e.getValue()[2]);
            }
        }
        target(sb, "0 B/op on every lock path, context entry and interrupt delivery (max B/op)", maxAlloc, maxAlloc < 0.01);
        long maxBytes = 0;
        for (Map.Entry<String, Long> e : footprint.entrySet()) {
            if (!e.getKey().contains("baseline") && !e.getKey().startsWith("LocalTryLock")
                    && !e.getKey().equals(JvmResults.FOOTPRINT)) {
                maxBytes = Math.max(maxBytes, e.getValue());
            }
        }
        target(sb, "<= 24 B per lock instance in every SpinLock mode (max bytes; LocalTryLock is padded per CPU)",
                maxBytes, maxBytes <= 24);
        target(sb, "kmalloc+kfree on 2 CPUs >= 2x the global-lock model", two / global, two / global >= 2);
        sb.append(String.format(Locale.ROOT, "%nFor reference: 1 CPU %.3f pairs/us; 2 CPUs %.3f; global lock %.3f.%n",
                one, two, global));
        JvmResults.section(sb, s, footprint);
        sb.append(String.format(Locale.ROOT, WHY, score(s, "DecompositionBench.preemptDisableEnable"),
                score(s, "DecompositionBench.localIrqSaveRestore"), score(s, "ContextBench.idlePoint")));
        return sb.toString();
    }

    private static final String WHY = "%n## Why the missed targets are missed, and what was tried%n%n"
            + "**Lock paths (4 speed targets).** A ctxlock trylock+unlock is not one CAS: in one call it does what the%n"
            + "kernel spreads over spin_trylock, preempt_disable and lockdep's held_locks, and what the model adds to%n"
            + "make misuse never silent: the CPU-thread check (twice), the PREEMPT_RT policy check, preempt_count with%n"
            + "overflow and underflow checks, the lock word, the held-lock stack push and pop (which the handler-leak%n"
            + "check, every splat and the validator read), the tracer and validator null checks, and the unlock's%n"
            + "owner and preempt checks. C2 inlines the whole path (checked with -XX:+PrintInlining: no call left),%n"
            + "so the figure is the work itself. Pieces measured in this run: preempt_disable+enable %.2f ns,%n"
            + "local_irq_save+restore (the flags token stack) %.2f ns, an idle interrupt point %.2f ns.%n"
            + "Found and fixed: G1's card-marking barrier on the held-lock stack's and the flags stack's reference%n"
            + "stores (about 2 ns: 9.6 ns under G1 against 7.7 ns under ParallelGC); both stacks now keep int lock%n"
            + "ids, which took up-stateless trylock+unlock from 9.0 to 7.4 ns and lockIrqSave+restore from 16.6 to%n"
            + "13.2 ns (quick runs, 3 iterations). Also done: the per-lock point labels became constants (5 strings%n"
            + "per lock gone). What remains is the bookkeeping itself; the targets would need a lock path without it,%n"
            + "which the foundation's first requirement (exact context accounting, misuse never silent) rules out.%n%n"
            + "**Footprint.** A lock is a public handle (SpinLock: name, class, word, RT flag; 32 B) plus the%n"
            + "backend's word object (16-24 B), because backends live behind the SPI in other modules; the word itself%n"
            + "is within 24 B in every mode, the pair is not. Folding the word into the handle would need one handle%n"
            + "class per backend. A LocalTryLock instance is padded by 128 bytes on both sides on purpose (see the%n"
            + "allocator below): one per CPU per cache, a cost paid for scaling.%n%n"
            + "**Contended.** Two threads on one SMP lock lose to ReentrantLock, which parks the loser, while the model%n"
            + "spins with interrupt points (the kernel's behaviour); the ticket lock's CAS unlock costs more again.%n%n"
            + "**Allocator on 2 CPUs.** A first run had two CPUs of one machine doing fewer pairs together than one%n"
            + "CPU alone, while two threads on two private machines (AllocatorBench.twoPrivateMachines, the ceiling)%n"
            + "scaled 2x: shared cache lines, not locks. The culprit was the local_trylock_t `acquired` field, which its%n"
            + "CPU writes on every operation and which sat next to the cache's cpuSlab array that both CPUs read; it is%n"
            + "now padded by 128 bytes on both sides (Cpu gets the same padding before its fields). Quick run: 11.0 ->%n"
            + "19.5 pairs/us on 2 CPUs; the ceiling is 37; what still shares a line is not found yet.%n";

    static void target(StringBuilder sb, String what, double figure, boolean met) {
        sb.append(String.format(Locale.ROOT, "| %s | %.2f | %s |%n", what, figure, met ? "met" : "MISSED"));
    }

    private static double score(Map<String, double[]> s, String k) {
        double[] v = s.get(k);
        return v == null ? Double.NaN : v[0];
    }
}
