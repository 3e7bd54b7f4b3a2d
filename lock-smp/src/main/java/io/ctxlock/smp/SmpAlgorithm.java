package io.ctxlock.smp;

/** The spinning algorithm behind an SMP lock word. */
public enum SmpAlgorithm {
    /**
     * Test-and-test-and-set: the word holds the owner tag; a trylock is one read and one CAS, an
     * unlock one release store. Fast and unfair. The default.
     */
    TTAS,
    /**
     * A ticket lock (the kernel's pre-4.2 x86 {@code arch_spinlock_t}; qspinlock keeps its FIFO
     * order): waiters are served in arrival order. Head, tail and the owner tag share one int, so
     * an unlock is an atomic add (the kernel's xadd) rather than an add to the head byte alone (x86's {@code incb}); at
     * most 255 tickets may be out at once.
     */
    TICKET
}
