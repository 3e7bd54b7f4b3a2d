package io.ctxlock.alloc;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.KernelBug;
import io.ctxlock.api.Machine;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The allocator model booted on a {@link Machine}: one zone, a pcp per CPU, the kmalloc caches,
 * and the code paths of a {@link KernelConfig}. The machine must run the backend the configuration
 * names ({@link KernelConfig#backend()}) with its CPU count and RT flag; the caller builds it, most
 * simply with {@link KernelConfig#machineBuilder()}.
 *
 * <pre>{@code
 * Machine m = Machine.builder().backend(UpBackend.create(UpMode.STATELESS)).build();
 * KernelModel k = KernelModel.boot(m, KernelConfig.UP);
 * int obj = k.slub().kmalloc(m.cpu(0), 64);
 * k.slub().kfree(m.cpu(0), obj);
 * k.invariants().check(m.cpu(0));
 * }</pre>
 *
 * Each operation takes the CPU it runs on; see {@link io.ctxlock.api.Cpu} for threading.
 *
 * <p><b>How corruption shows</b> (the kernel's order). A context that enters a list section the
 * code it interrupted is inside is a data race: written to the kernel log as KCSAN would report it
 * and kept in {@link #races()}, and the run goes on (unless {@link #stopAtFirstRace(boolean)}). The
 * kernel's own symptoms follow from the broken lists themselves: a list operation whose
 * list_debug check fails is a WARN and is skipped ({@link #corruption()}, the first one), a
 * {@code BUG_ON}/{@code VM_BUG_ON} or a page found in two places stops the run with a
 * {@link KernelBug}, and at the end {@link #invariants()} decide. A nested entry the kernel survives
 * leaves only its race note.
 */
public final class KernelModel {
    /** Default zone size: 512 pages (2 MiB). */
    public static final int DEFAULT_PAGES = 512;
    /** Default pcp high watermark and batch, in pages. */
    public static final int DEFAULT_PCP_HIGH = 8;
    public static final int DEFAULT_PCP_BATCH = 4;

    private final Machine machine;
    private final KernelConfig config;
    private final PageAllocator pages;
    private final Slub slub;
    private final AllocatorInvariants invariants;
    private final PfnList lists;
    private final List<String> races = new ArrayList<>(); // bound CPU threads; error paths only
    private final Set<Mechanism> mechanisms = EnumSet.noneOf(Mechanism.class);
    private KernelBug corruption; // the first list_debug report, or null
    private boolean stopAtFirstRace;

    private KernelModel(Machine machine, KernelConfig config, int zonePages, int pcpHigh, int pcpBatch) {
        this.machine = Objects.requireNonNull(machine, "machine");
        this.config = Objects.requireNonNull(config, "config");
        if (machine.cpuCount() != config.cpus() || machine.preemptRt() != config.preemptRt()) {
            throw new IllegalArgumentException("configuration " + config + " needs " + config.cpus() + " CPU(s)"
                    + (config.preemptRt() ? " with PREEMPT_RT" : "") + ", machine is " + machine);
        }
        if (pcpBatch < 1 || pcpHigh < pcpBatch) {
            throw new IllegalArgumentException("pcp needs 1 <= batch <= high: batch " + pcpBatch + ", high " + pcpHigh);
        }
        if (Integer.bitCount(zonePages) != 1 || zonePages < 16) {
            throw new IllegalArgumentException("zone size must be a power of two >= 16 pages: " + zonePages);
        }
        this.lists = new PfnList(this, zonePages, 11 + machine.cpuCount() * (PerCpuPages.COSTLY_ORDER + 1)
                + Slub.BUCKETS);
        this.pages = new PageAllocator(machine, this, config, zonePages, pcpHigh, pcpBatch);
        this.slub = new Slub(machine, this, config, pages);
        this.invariants = new AllocatorInvariants(this);
    }

    /** Boots with the default sizes. */
    public static KernelModel boot(Machine machine, KernelConfig config) {
        return new KernelModel(machine, config, DEFAULT_PAGES, DEFAULT_PCP_HIGH, DEFAULT_PCP_BATCH);
    }

    /** Boots with a zone of {@code zonePages} (a power of two) and the given pcp high and batch. */
    public static KernelModel boot(Machine machine, KernelConfig config, int zonePages, int pcpHigh, int pcpBatch) {
        return new KernelModel(machine, config, zonePages, pcpHigh, pcpBatch);
    }

    public Machine machine() {
        return machine;
    }

    public KernelConfig config() {
        return config;
    }

    public PageAllocator pages() {
        return pages;
    }

    public Slub slub() {
        return slub;
    }

    public AllocatorInvariants invariants() {
        return invariants;
    }

    /**
     * Like CONFIG_KCSAN's panic on the first report: with {@code true}, the first data race stops
     * the run with a {@link KernelBug} ("data race"). Off by default. Set before the CPUs run.
     */
    public void stopAtFirstRace(boolean stop) {
        this.stopAtFirstRace = stop;
    }

    /** The data races seen so far, oldest first: "pcp lists of CPU#0 entered by NMI(x) while task is inside". */
    public synchronized List<String> races() {
        return List.copyOf(races);
    }

    /** The first list corruption a list_debug check found (reported as a WARN, the run went on), or null. */
    public synchronized KernelBug corruption() {
        return corruption;
    }

    /** What nested contexts did to stay out of sections held by the code they interrupted (see {@link Mechanism}). */
    public synchronized Set<Mechanism> mechanisms() {
        return mechanisms.isEmpty() ? Set.of() : EnumSet.copyOf(mechanisms);
    }

    /** Notes {@code m} if {@code cpu} runs a nested context. */
    void note(Cpu cpu, Mechanism m) {
        if (cpu.depth() > 0) {
            synchronized (this) {
                mechanisms.add(m);
            }
        }
    }

    PfnList lists() {
        return lists;
    }

    /** {@code structure} entered by {@code cpu}'s running context while context {@code insideDepth} of CPU {@code insideCpu} is inside. */
    void dataRace(Cpu cpu, String structure, int insideCpu, int insideDepth) {
        String inside = machine.cpu(insideCpu).frameName(insideDepth);
        String note = structure + " entered by " + cpu.contextName() + " on CPU#" + cpu.id() + " while " + inside
                + " on CPU#" + insideCpu + " is inside";
        synchronized (this) {
            races.add(note);
        }
        if (stopAtFirstRace) {
            throw KernelBug.report(cpu, "KCSAN: ASSERT_EXCLUSIVE_ACCESS", "data race", note);
        }
        machine.kernelLog().printk(cpu, "BUG: KCSAN: assert: race in " + structure + "\n\n" + note
                + "\n (ASSERT_EXCLUSIVE_ACCESS: the lock let both contexts in)");
    }

    /** A list_debug check failed: a WARN, the operation is skipped by the caller, the run goes on. */
    void listCorruption(Cpu cpu, String invariant, String function, String text) {
        KernelBug w = KernelBug.warning(cpu, "lib/list_debug.c: " + function, invariant, text);
        synchronized (this) {
            if (corruption == null) {
                corruption = w;
            }
        }
    }
}
