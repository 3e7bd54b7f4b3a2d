package io.ctxlock.alloc;

/**
 * How a nested context (an interrupt, NMI or probe handler: depth above 0) got through the
 * allocator without entering a section the code it interrupted was inside, as far as the allocator
 * itself can tell. Recorded per run by {@link KernelModel#mechanisms()}; a failed nested trylock
 * is seen by the lock layer's tracer instead.
 */
public enum Mechanism {
    /**
     * An allocation entry gave up before taking any lock: {@code can_spin_trylock()} (RT in NMI or
     * hardirq, E in NMI on UP) or an {@code alloc_pages_nolock()} order above 3
     * ({@code pcp_allowed_order()}).
     */
    REFUSED_EARLY("refused-early"),
    /** The pcp lists were not used at all: E on UP ({@code pcp_spin_trylock()} is NULL there). */
    PCP_BYPASSED("pcp-bypassed"),
    /** {@code kmalloc_nolock()} got {@code -EBUSY} and retried once in the next bucket. */
    BUSY_RETRY("busy-retry"),
    /**
     * A {@code kfree_nolock()}, {@code free_pages_nolock()} or a slab deactivation was put on a
     * deferred list and finished later (irq_work, or the zone's next locked free).
     */
    DEFERRED("deferred");

    private final String id;

    Mechanism(String id) {
        this.id = id;
    }

    /** The name the record and the matrix use, e.g. {@code "busy-retry"}. */
    public String id() {
        return id;
    }
}
