package io.ctxlock.api;

/**
 * Code that runs in a nested context on a CPU: an interrupt handler, softirq action, NMI handler
 * or probe. The CPU it runs on is passed in, so a handler needs to capture nothing and a
 * non-capturing lambda allocates nothing when it is delivered.
 *
 * <p>Kernel counterpart: an {@code irq_handler_t}, a softirq action, an NMI handler, a kprobe
 * {@code pre_handler} or a BPF program.
 */
@FunctionalInterface
public interface Handler {
    /**
     * Runs on {@code cpu}, in the context it was delivered in. Must release every lock it took
     * before it returns; the CPU checks this ({@link LockMisuseException.HandlerLeak}).
     */
    void handle(Cpu cpu);
}
