package io.ctxlock.smp;

import io.ctxlock.api.LockClass;
import io.ctxlock.api.Machine;
import io.ctxlock.api.spi.BackendSpi;
import io.ctxlock.api.spi.LockWord;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The SMP backend: the kernel's {@code CONFIG_SMP=y} spinlock, on N CPUs each driven by its own
 * Java thread. Every lock's word is one int in the lock, changed with VarHandle CAS (acquire),
 * atomic adds and release stores, holding the owner's {@link io.ctxlock.api.spi.OwnerTag}, so a failed trylock tells "another CPU"
 * from "code I interrupted" from that one read. This is the reference semantics the UP modes are
 * judged against; with one CPU it is proposal A of the RFC ("use the SMP implementation on UP").
 *
 * <p><b>Memory ordering</b> (tools/memory-model lock.cat): a successful trylock or lock acquires
 * (CAS with acquire semantics), an unlock releases (setRelease, or a release getAndAdd for {@link SmpAlgorithm#TICKET}),
 * a failed trylock has no ordering effect.
 *
 * <p><b>Spinning.</b> {@code lock()} on a lock another CPU holds spins with
 * {@code Thread.onSpinWait()}, then yields, then parks for growing periods (one spin state per CPU,
 * see the package's {@code Spinner}). Every spin iteration is an interrupt point labelled
 * {@code spin_lock:spin}, so a spinning CPU takes NMIs always and hardirqs when it spins with
 * interrupts enabled, as hardware does. A wait still parking past the lockup bound (counted from its
 * first park; the clock is read only from then on) writes a soft-lockup report and throws
 * {@link io.ctxlock.api.LockupException}. On a stepped machine ({@code Machine.Builder.stepped})
 * every spin iteration instead runs another CPU's step through the {@link io.ctxlock.api.Stepper},
 * which decides a lockup without a clock, and a lock() on a lock its own CPU holds spins there too,
 * as in a kernel without CONFIG_DEBUG_SPINLOCK.
 *
 * <pre>{@code
 * Machine m = Machine.builder().cpus(2).backend(SmpBackend.create()).build();
 * Machine fifo = Machine.builder().cpus(4)
 *         .backend(SmpBackend.builder().algorithm(SmpAlgorithm.TICKET).lockupTimeout(Duration.ofSeconds(1)).build())
 *         .build();
 * }</pre>
 *
 * Immutable; one value may serve many machines.
 */
public final class SmpBackend implements BackendSpi {
    /** CPUs per machine (the ticket word's 16-bit owner tag would take 255; the bound is kept at 62). */
    public static final int MAX_CPUS = 62;

    private final SmpAlgorithm algorithm;
    private final Map<String, SmpAlgorithm> perClass;
    private final Duration lockupTimeout;

    private SmpBackend(Builder b) {
        this.algorithm = b.algorithm;
        this.perClass = Map.copyOf(b.perClass);
        this.lockupTimeout = b.lockupTimeout;
    }

    /** TTAS locks, a 10 s lockup bound. */
    public static SmpBackend create() {
        return builder().build();
    }

    /** The given algorithm, a 10 s lockup bound. */
    public static SmpBackend create(SmpAlgorithm algorithm) {
        return builder().algorithm(algorithm).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public SmpAlgorithm algorithm() {
        return algorithm;
    }

    public Duration lockupTimeout() {
        return lockupTimeout;
    }

    @Override
    public String name() {
        return "SMP/" + algorithm + (perClass.isEmpty() ? "" : perClass.toString());
    }

    @Override
    public int maxCpus() {
        return MAX_CPUS;
    }

    @Override
    public LockWordFactory attach(Machine machine) {
        Spinner spinner = new Spinner(machine, lockupTimeout.toNanos());
        LockWord ttas = new TtasWord(machine, spinner); // stateless operations: one of each per machine
        LockWord ticket = new TicketWord(machine, spinner);
        return (lockName, lockClass) -> newWord(lockClass, ttas, ticket);
    }

    private LockWord newWord(LockClass lockClass, LockWord ttas, LockWord ticket) {
        return perClass.getOrDefault(lockClass.name(), algorithm) == SmpAlgorithm.TICKET ? ticket : ttas;
    }

    @Override
    public String toString() {
        return name();
    }

    /** Builds an {@link SmpBackend}. */
    public static final class Builder {
        private SmpAlgorithm algorithm = SmpAlgorithm.TTAS;
        private final Map<String, SmpAlgorithm> perClass = new HashMap<>();
        private Duration lockupTimeout = Duration.ofSeconds(10);

        private Builder() {}

        /** The algorithm of every lock whose class has no override. */
        public Builder algorithm(SmpAlgorithm algorithm) {
            this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
            return this;
        }

        /** The algorithm for locks of one lock class. */
        public Builder algorithm(String lockClassName, SmpAlgorithm algorithm) {
            perClass.put(Objects.requireNonNull(lockClassName), Objects.requireNonNull(algorithm));
            return this;
        }

        /**
         * How long a lock() wait may park before the soft-lockup report, counted from the wait's first
         * park; it stands for the kernel's soft-lockup threshold (twice {@code watchdog_thresh}).
         */
        public Builder lockupTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("lockup timeout must be positive: " + timeout);
            }
            this.lockupTimeout = timeout;
            return this;
        }

        public SmpBackend build() {
            return new SmpBackend(this);
        }
    }
}
