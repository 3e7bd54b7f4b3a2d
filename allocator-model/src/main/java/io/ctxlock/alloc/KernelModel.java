package io.ctxlock.alloc;

import io.ctxlock.api.Machine;
import java.util.Objects;

/**
 * The allocator model booted on a {@link Machine}: one zone, a pcp per CPU, the kmalloc caches,
 * and the code paths of a {@link KernelConfig}. The machine must run the backend the configuration
 * names ({@link KernelConfig#backendKind()}) with its CPU count and RT flag; the caller builds it,
 * since this module depends on lock-api only.
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
        this.pages = new PageAllocator(machine, config, zonePages, pcpHigh, pcpBatch);
        this.slub = new Slub(machine, config, pages);
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
}
