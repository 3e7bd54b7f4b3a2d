package io.ctxlock.api;

/**
 * A lock backend: the kernel's choice of spinlock implementation (SMP, UP, UP with
 * {@code DEBUG_SPINLOCK}, or one of the proposals of the RFC thread). Users get one from a backend
 * module ({@code UpBackend.create(...)}, {@code SmpBackend.create(...)}) and pass it to
 * {@link Machine#builder()}; the state machine behind it is the SPI in
 * {@code io.ctxlock.api.spi}. Immutable; one value may serve any number of machines.
 */
public interface Backend {
    /** A short id for output, e.g. {@code "UP/STATELESS"}. */
    String name();

    /** The most CPUs a machine on this backend may have (1 for the UP backends). */
    int maxCpus();
}
