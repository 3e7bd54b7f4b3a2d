package io.ctxlock.alloc;

import io.ctxlock.api.ContextKind;
import io.ctxlock.api.Cpu;
import io.ctxlock.api.Interrupt;
import io.ctxlock.api.Program;
import java.util.List;
import java.util.function.Consumer;

/**
 * Scenarios S1-S8, each as a setup, a task-side program that runs on CPU0, and the interrupts to
 * inject into it; and the cross-CPU scenarios X1-X3, each a program per CPU of a stepped machine
 * (see {@link CrossCpuRuns}) and the interrupts to inject on one of them. An exploration injects each interrupt at each interrupt point of the task
 * program; a test injects one at a chosen label. What each scenario does on each configuration is
 * not here: it is the record in the repository's {@code docs/record.md}, which the tests and the
 * matrix compare against.
 */
public enum AllocatorScenario {
    S1("the pcp holds high - 1 pages; the task drains it holding the pcp lock, interrupts on; a hardirq frees"
            + " a page and trylocks pcp (the 038a102535eb report)") {
        @Override
        public Run start(KernelModel k, Cpu cpu) {
            PageAllocator pa = k.pages();
            Spare pages = Spare.pages(pa, cpu, 0);
            int[] filler = new int[KernelModel.DEFAULT_PCP_HIGH - 1];
            for (int i = 0; i < filler.length; i++) {
                filler[i] = pa.allocPages(cpu, 0);
            }
            pa.drainPages(cpu); // what the refills left on the pcp goes back: the fillers alone will be there
            for (int p : filler) {
                pa.freePages(cpu, p, 0); // the pcp holds high - 1 pages: the hardirq's free reaches high
            }
            return new Run(pa::drainPages, List.of(Interrupt.hardirq("free_pages", c -> pages.take(p -> pa.freePages(c, p, 0)))));
        }
    },
    S2("task inside a pcp trylock section (interrupts off by the UP workaround); an NMI frees a page with"
            + " free_pages_nolock") {
        @Override
        public Run start(KernelModel k, Cpu cpu) {
            PageAllocator pa = k.pages();
            Spare pages = Spare.pages(pa, cpu, 0);
            int warm = pa.allocPages(cpu, 0);
            pa.freePages(cpu, warm, 0); // the pcp list has a page: the task's allocation needs no refill
            return new Run(c -> pa.freePages(c, pa.allocPages(c, 0), 0),
                    List.of(Interrupt.nmi("free_pages_nolock", c -> pages.take(p -> pa.freePagesNolock(c, p, 0)))));
        }
    },
    S3("task in kmalloc holds n->list_lock (irqsave); an NMI calls kmalloc_nolock (the seed: freeze_slab finds"
            + " the slab frozen)") {
        @Override
        public Run start(KernelModel k, Cpu cpu) {
            return listLockRun(k, cpu, ContextKind.NMI);
        }
    },
    S4("task holds zone->lock; an NMI calls alloc_pages_nolock of order 0 with its pcp list empty, reaching the zone"
            + " trylock in rmqueue_bulk() (and rmqueue_buddy())") {
        @Override
        public Run start(KernelModel k, Cpu cpu) {
            PageAllocator pa = k.pages();
            return new Run(c -> zoneLockTask(c, pa), List.of(Interrupt.nmi("alloc_pages_nolock", c -> {
                int p = pa.allocPagesNolock(c, 0); // the pcp lists are empty: nothing of order 0 was freed yet
                if (p >= 0) {
                    pa.freePagesNolock(c, p, 0);
                }
            })));
        }
    },
    S5("task holds zone->lock; an NMI frees a page with free_pages_nolock") {
        @Override
        public Run start(KernelModel k, Cpu cpu) {
            PageAllocator pa = k.pages();
            Spare blocks = Spare.pages(pa, cpu, HIGH_ORDER);
            return new Run(c -> zoneLockTask(c, pa), List.of(Interrupt.nmi("free_pages_nolock",
                    c -> blocks.take(p -> pa.freePagesNolock(c, p, HIGH_ORDER)))));
        }
    },
    S6("task holds n->list_lock; a kprobe/BPF handler at a probe point inside that section calls kmalloc_nolock") {
        @Override
        public Run start(KernelModel k, Cpu cpu) {
            return listLockRun(k, cpu, ContextKind.PROBE);
        }
    },
    S7("an NMI inside local_lock_irqsave(cpu_slab) calls kmalloc_nolock and kfree_nolock") {
        @Override
        public Run start(KernelModel k, Cpu cpu) {
            Slub slub = k.slub();
            Spare victims = new Spare(new int[] {slub.kmalloc(cpu, OBJECT_SIZE), slub.kmalloc(cpu, OBJECT_SIZE)});
            return new Run(c -> slub.kfree(c, slub.kmalloc(c, OBJECT_SIZE)), List.of(Interrupt.nmi("bpf_kmalloc", c -> {
                int o = slub.kmallocNolock(c, OBJECT_SIZE);
                victims.take(v -> slub.kfreeNolock(c, v));
                if (o >= 0) {
                    slub.kfreeNolock(c, o);
                }
            })));
        }
    },
    S8("an NMI and a hardirq call kmalloc_nolock and alloc_pages_nolock while the task holds no lock") {
        @Override
        public Run start(KernelModel k, Cpu cpu) {
            Slub slub = k.slub();
            PageAllocator pa = k.pages();
            Consumer<Cpu> both = c -> {
                int o = slub.kmallocNolock(c, OBJECT_SIZE);
                int p = pa.allocPagesNolock(c, 0);
                if (o >= 0) {
                    slub.kfreeNolock(c, o);
                }
                if (p >= 0) {
                    pa.freePagesNolock(c, p, 0);
                }
            };
            return new Run(c -> {
                c.interruptPoint(Points.TASK_NO_LOCK_HELD);
                c.interruptPoint(Points.TASK_NO_LOCK_HELD);
            }, List.of(Interrupt.nmi("bpf_nolock", both::accept), Interrupt.hardirq("timer_nolock", both::accept)));
        }
    },
    X1("two CPUs: CPU1 frees an object of CPU0's full slab through __slab_free (n->list_lock, add_partial) while"
            + " CPU0 allocates and frees in task context and its NMI calls kmalloc_nolock") {
        @Override
        public Run start(KernelModel k, Cpu cpu) {
            return CrossCpuRuns.remoteKfree(k, cpu);
        }

        @Override
        public boolean appliesTo(KernelConfig config) {
            return config.cpus() >= 2;
        }
    },
    X2("two CPUs: CPU0 drains CPU1's pcp (drain_pages_zone: pcp->lock, then zone->lock) while a hardirq on CPU1"
            + " frees a page") {
        @Override
        public Run start(KernelModel k, Cpu cpu) {
            return CrossCpuRuns.remoteDrain(k, cpu);
        }

        @Override
        public boolean appliesTo(KernelConfig config) {
            return twoCpusWithoutRt(config);
        }
    },
    X3("two CPUs: each task takes L with interrupts on, and a hardirq on CPU0 takes L too (lockdep: inconsistent"
            + " lock state)") {
        @Override
        public Run start(KernelModel k, Cpu cpu) {
            return CrossCpuRuns.selfDeadlock(k);
        }

        @Override
        public boolean appliesTo(KernelConfig config) {
            return twoCpusWithoutRt(config);
        }
    };

    /** kmalloc size the slab scenarios use. */
    public static final int OBJECT_SIZE = 64;
    /** An order above PAGE_ALLOC_COSTLY_ORDER: such blocks go straight to the buddy lists. */
    public static final int HIGH_ORDER = 4;

    private final String description;

    AllocatorScenario(String description) {
        this.description = description;
    }

    /** Sets the scene on a freshly booted model (before any point is observed) and returns the run. */
    public abstract Run start(KernelModel k, Cpu cpu);

    public String description() {
        return description;
    }

    /**
     * Whether the scenario runs on {@code config}. S1-S8 run on every configuration (on CPU0); the
     * cross-CPU scenarios X1-X3 need two CPUs on a stepped machine, and X2 and X3 leave out
     * PREEMPT_RT, where hardirq handlers are threads and spinlocks sleep (not modeled).
     */
    public boolean appliesTo(KernelConfig config) {
        return true;
    }

    private static boolean twoCpusWithoutRt(KernelConfig config) {
        return config.cpus() >= 2 && !config.preemptRt();
    }

    /** Whether the scenario runs programs on several CPUs of a stepped machine ({@link Run#programs()}). */
    public boolean crossCpu() {
        return name().startsWith("X");
    }

    /**
     * A started scenario: the task program for CPU0 and the interrupts to inject into it; or, for a
     * cross-CPU scenario, one {@link Program} per CPU of a stepped machine and the CPU that the
     * interrupts are injected on.
     */
    public static final class Run {
        private final Consumer<Cpu> task;
        private final List<Program> programs;
        private final List<Interrupt> interrupts;
        private final int injectCpu;

        Run(Consumer<Cpu> task, List<Interrupt> interrupts) {
            this(task, List.of(), interrupts, 0);
        }

        Run(Consumer<Cpu> task, List<Program> programs, List<Interrupt> interrupts, int injectCpu) {
            this.task = task;
            this.programs = List.copyOf(programs);
            this.interrupts = interrupts;
            this.injectCpu = injectCpu;
        }

        /** Runs the task program on {@code cpu}; a cross-CPU run has none (its programs do the work). */
        public void task(Cpu cpu) {
            if (task != null) {
                task.accept(cpu);
            }
        }

        /** One program per CPU, for a stepped machine; empty for S1-S8. */
        public List<Program> programs() {
            return programs;
        }

        public List<Interrupt> interrupts() {
            return interrupts;
        }

        /** The CPU the interrupts are injected on. */
        public int injectCpu() {
            return injectCpu;
        }
    }

    /**
     * What a scenario's handler frees: one item per injection, so that a run that injects the same
     * handler twice (depth 2) frees two different things rather than one thing twice.
     */
    static final class Spare {
        private final int[] items;
        private int next; // plain; the CPU's thread only

        Spare(int[] items) {
            this.items = items;
        }

        static Spare pages(PageAllocator pa, Cpu cpu, int order) {
            return new Spare(new int[] {pa.allocPages(cpu, order), pa.allocPages(cpu, order)});
        }

        void take(java.util.function.IntConsumer use) {
            if (next < items.length) {
                use.accept(items[next++]);
            }
        }
    }

    /** The zone-lock task of S4 and S5: allocate and free a block above the costly order. */
    private static void zoneLockTask(Cpu cpu, PageAllocator pages) {
        int block = pages.allocPages(cpu, HIGH_ORDER);
        pages.freePages(cpu, block, HIGH_ORDER);
    }

    /**
     * S3 and S6: the cpu slab of kmalloc-64 is full and the node has one partial slab, so the task's
     * kmalloc goes to get_partial_node() under n->list_lock, where {@code kind} arrives.
     */
    private static Run listLockRun(KernelModel k, Cpu cpu, ContextKind kind) {
        Slub slub = k.slub();
        KmemCache s = slub.bucket(OBJECT_SIZE);
        int[] first = new int[s.objectsPerSlab];
        for (int i = 0; i < first.length; i++) {
            first[i] = slub.kmalloc(cpu, OBJECT_SIZE); // fills slab 1
        }
        for (int i = 0; i < s.objectsPerSlab; i++) {
            slub.kmalloc(cpu, OBJECT_SIZE); // slab 1 deactivated full; slab 2 filled
        }
        slub.kfree(cpu, first[0]); // slab 1 has a free object: back on the partial list
        return new Run(c -> slub.kmalloc(c, OBJECT_SIZE), List.of(Interrupt.of(kind, "kmalloc_nolock", c -> {
            int o = slub.kmallocNolock(c, OBJECT_SIZE);
            if (o >= 0) {
                slub.kfreeNolock(c, o);
            }
        })));
    }
}
