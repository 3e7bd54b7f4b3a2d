package io.ctxlock.api;

import java.util.Objects;

/**
 * An interrupt to raise on a CPU: a context kind, a name for traces and splats, and the handler.
 * Immutable and reusable: create it once and {@link Cpu#raise raise} it as often as needed (a
 * raise allocates nothing).
 *
 * <p>Kernel counterpart: a pending interrupt line, a raised softirq ({@code raise_softirq()}),
 * an NMI, or an armed kprobe about to fire. Each raise is delivered exactly once; the kernel's
 * coalescing of a pending line raised twice is not modeled.
 */
public final class Interrupt {
    private final ContextKind kind;
    private final String name;
    private final Handler handler;

    private Interrupt(ContextKind kind, String name, Handler handler) {
        if (kind == ContextKind.TASK) {
            throw new IllegalArgumentException("a task is not an interrupt: " + name);
        }
        this.kind = kind;
        this.name = Objects.requireNonNull(name, "name");
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /** An interrupt of the given kind (anything but {@link ContextKind#TASK}). */
    public static Interrupt of(ContextKind kind, String name, Handler handler) {
        return new Interrupt(kind, name, handler);
    }

    public static Interrupt hardirq(String name, Handler handler) {
        return new Interrupt(ContextKind.HARDIRQ, name, handler);
    }

    public static Interrupt softirq(String name, Handler handler) {
        return new Interrupt(ContextKind.SOFTIRQ, name, handler);
    }

    public static Interrupt nmi(String name, Handler handler) {
        return new Interrupt(ContextKind.NMI, name, handler);
    }

    public static Interrupt probe(String name, Handler handler) {
        return new Interrupt(ContextKind.PROBE, name, handler);
    }

    public ContextKind kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    public Handler handler() {
        return handler;
    }

    @Override
    public String toString() {
        return kind.kernelName() + "(" + name + ")";
    }
}
