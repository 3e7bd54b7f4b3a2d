package io.ctxlock.explore.example;

import io.ctxlock.alloc.KernelConfig;
import io.ctxlock.alloc.KernelModel;
import io.ctxlock.alloc.PageAllocator;
import io.ctxlock.alloc.Slub;
import io.ctxlock.api.Interrupt;
import io.ctxlock.api.LockupException;
import io.ctxlock.api.Machine;
import io.ctxlock.api.Program;
import io.ctxlock.api.Schedule;
import io.ctxlock.api.Stepper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The example host of the README's "Embedding" section: a small discrete-event simulation that
 * drives a stepped two-CPU machine ({@link Stepper}) running the allocator model, one event at a
 * time in virtual time, on the caller's thread. Each CPU loops over allocations and frees: its own
 * {@code kmalloc()}, a remote {@code kfree()} of an object the other CPU allocated (two steps, so
 * the other CPU can run inside {@code __slab_free()}), {@code alloc_pages()}/{@code free_pages()},
 * and {@code drain_pages_zone()} of the other CPU's pcp (four steps). Every CPU takes a timer
 * hardirq every {@code timerMicros} virtual microseconds (an allocation, a page, the irq_work of
 * deferred frees) and NMIs at seeded times ({@code kmalloc_nolock()}, {@code alloc_pages_nolock()}).
 * A step costs 100 to 499 virtual ns, drawn from the seed. The run prints a summary and writes a
 * Perfetto trace (Chrome JSON: one track per CPU, interrupt contexts as slices, lock holds as async
 * slices, step ends, failed trylocks and spins as instants) whose timestamps are the virtual clock: the same
 * seed gives the same file, byte for byte.
 *
 * <pre>
 * java -cp explorer/target/ctxlock.jar io.ctxlock.explore.example.SmpSimulation --seed 1 --out sim.json
 * </pre>
 */
public final class SmpSimulation {
    /** What one run found; {@code threads} names every thread that ran model code (one: the caller). */
    public record Result(String summary, String trace, java.util.Set<String> threads) {}

    private enum Kind { STEP, TIMER, NMI }

    private record Event(long at, long seq, Kind kind, int cpu) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
        }
    }

    private SmpSimulation() {}

    /** Runs {@code events} host events from {@code seed}, a timer every {@code timerMicros} us per CPU. */
    public static Result run(long seed, int events, int timerMicros) {
        if (events < 1 || timerMicros < 1) {
            throw new IllegalArgumentException("events and timer period must be positive: " + events + ", " + timerMicros);
        }
        SplittableRandom random = new SplittableRandom(seed);
        Machine m = KernelConfig.SMP.machineBuilder().stepped(Schedule.seeded(random.nextLong())).build();
        KernelModel k = KernelModel.boot(m, KernelConfig.SMP);
        Stepper st = m.stepper();
        SimTrace trace = new SimTrace(m);
        m.setTracer(trace);
        st.setListener(trace);
        java.util.List<ArrayDeque<Integer>> toFree = java.util.List.of(new ArrayDeque<>(), new ArrayDeque<>());
        for (int c = 0; c < 2; c++) {
            st.load(c, loop(k, c, toFree).repeat(1 + events));
        }
        Interrupt[] timer = {timer(k), timer(k)};
        Interrupt nmi = nmi(k);
        PriorityQueue<Event> queue = new PriorityQueue<>();
        long[] seq = {0};
        java.util.function.BiConsumer<Long, Event> at = (t, e) -> queue.add(new Event(t, seq[0]++, e.kind(), e.cpu()));
        for (int c = 0; c < 2; c++) {
            at.accept(0L, new Event(0, 0, Kind.STEP, c));
            at.accept(timerMicros * 1_000L * (c + 1) / 2, new Event(0, 0, Kind.TIMER, c));
            at.accept(nextNmi(random, 0), new Event(0, 0, Kind.NMI, c));
        }
        long[] counts = new long[Kind.values().length];
        String end = "ran " + events + " events";
        for (int n = 0; n < events; n++) {
            Event e = queue.poll();
            trace.now(e.at());
            counts[e.kind().ordinal()]++;
            try {
                switch (e.kind()) {
                    case STEP -> {
                        st.step(e.cpu());
                        at.accept(e.at() + 100 + random.nextInt(400), e);
                    }
                    case TIMER -> {
                        st.raise(e.cpu(), timer[e.cpu()]);
                        at.accept(e.at() + timerMicros * 1_000L, e);
                    }
                    case NMI -> {
                        st.raise(e.cpu(), nmi);
                        at.accept(nextNmi(random, e.at()), e);
                    }
                }
            } catch (LockupException lockup) { // a deadlock the model decided: report it, the run ends here
                end = "stopped at event " + n + ": " + lockup.getMessage().lines().findFirst().orElse("");
                break;
            }
        }
        String check = "not checked (the run stopped)";
        if (end.startsWith("ran")) { // each CPU runs through its next loop's first step (kmalloc, after which it holds no lock), then the invariants
            trace.now(trace.now + 1);
            for (int c = 0; c < 2; c++) {
                st.stepTo(c, "kmalloc");
            }
            k.invariants().check(m.cpu(0));
            check = "hold once each CPU ended its loop iteration";
        }
        String summary = String.format(java.util.Locale.ROOT, "seed %d: %s in %.3f virtual ms; %d steps, %d timer and %d NMI raises;"
                + " per CPU steps %d/%d; %s; deferred pages %d; allocator invariants %s; model code ran on %s",
                seed, end, trace.now / 1e6, counts[Kind.STEP.ordinal()], counts[Kind.TIMER.ordinal()],
                counts[Kind.NMI.ordinal()], st.state(0).stepsDone(), st.state(1).stepsDone(), trace.counts(),
                k.pages().deferredPages(), check, trace.threads);
        return new Result(summary, trace.json(), java.util.Set.copyOf(trace.threads));
    }

    /** Exponential gaps of mean 40 us: perf NMIs. */
    private static long nextNmi(SplittableRandom random, long now) {
        return now + 1 + (long) (-StrictMath.log(1 - random.nextDouble()) * 40_000); // StrictMath: the same on every JVM
    }

    /** One iteration of CPU {@code c}'s loop; {@code toFree[c]} holds objects the other CPU allocated for it to free. */
    private static Program loop(KernelModel k, int c, java.util.List<ArrayDeque<Integer>> toFree) {
        Slub slub = k.slub();
        PageAllocator pa = k.pages();
        int other = 1 - c;
        int[] page = {-1};
        return Program.of(
                Program.step("kmalloc", cpu -> {
                    int o = slub.kmalloc(cpu, 64);
                    if (o >= 0) {
                        toFree.get(other).add(o);
                    }
                }),
                Program.step("alloc_pages", cpu -> page[0] = pa.allocPages(cpu, 0)),
                Program.step("free_pages", cpu -> {
                    if (page[0] >= 0) {
                        pa.freePages(cpu, page[0], 0);
                    }
                }))
                .then(slub.kfreeSteps(() -> toFree.get(c).isEmpty() ? -1 : toFree.get(c).poll()))
                .then(pa.drainPagesZoneSteps(other));
    }

    private static Interrupt timer(KernelModel k) {
        return Interrupt.hardirq("timer", c -> {
            int o = k.slub().kmalloc(c, 32);
            int p = k.pages().allocPages(c, 0);
            k.slub().kfree(c, o);
            if (p >= 0) {
                k.pages().freePages(c, p, 0);
            }
            k.slub().irqWork(c); // the tick runs the irq_work of deferred frees
        });
    }

    private static Interrupt nmi(KernelModel k) {
        return Interrupt.nmi("perf", c -> {
            int o = k.slub().kmallocNolock(c, 64);
            int p = k.pages().allocPagesNolock(c, 0);
            if (o >= 0) {
                k.slub().kfreeNolock(c, o);
            }
            if (p >= 0) {
                k.pages().freePagesNolock(c, p, 0);
            }
        });
    }

    /** {@code --seed N --events N --timer-us N --out FILE}; prints the summary, writes the trace. */
    public static void main(String[] args) throws IOException {
        long seed = 1;
        int events = 10_000;
        int timerMicros = 100;
        Path out = Path.of("smp-simulation.json");
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--events" -> events = Integer.parseInt(args[i + 1]);
                case "--timer-us" -> timerMicros = Integer.parseInt(args[i + 1]);
                case "--out" -> out = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--seed, --events, --timer-us, --out)");
            }
        }
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("option " + args[args.length - 1] + " needs a value");
        }
        Result r = run(seed, events, timerMicros);
        Files.writeString(out, r.trace(), StandardCharsets.UTF_8);
        System.out.println(r.summary());
        System.out.println("Perfetto trace (ui.perfetto.dev): " + out);
    }
}
