package io.ctxlock.up;

import io.ctxlock.api.Machine;
import io.ctxlock.api.spi.BackendSpi;
import io.ctxlock.api.spi.LockWord;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The single-CPU backends: one CPU, thread-confined, lock state (where a mode has any) in plain
 * fields. No atomics are needed, as on a UP kernel, where nothing but the CPU's own nested
 * contexts can touch a lock and those never run in parallel with the code they interrupt.
 *
 * <p><b>Memory ordering:</b> none beyond program order; a machine on this backend is driven by one
 * thread (see {@link io.ctxlock.api.Cpu}).
 *
 * <pre>{@code
 * Machine up = Machine.builder().backend(UpBackend.create(UpMode.STATELESS)).build();
 * Machine c = Machine.builder().backend(UpBackend.sharedWord("pcp->lock")).build();
 * }</pre>
 *
 * Immutable: one value may serve many machines; shared words live in each machine.
 */
public final class UpBackend implements BackendSpi {
    private final UpMode mode;
    private final Set<String> sharedClasses; // SHARED_WORD only; empty = every class is a group

    private UpBackend(UpMode mode, Set<String> sharedClasses) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.sharedClasses = sharedClasses;
    }

    /** A backend in {@code mode}. For SHARED_WORD, every lock class is a group with one word. */
    public static UpBackend create(UpMode mode) {
        return new UpBackend(mode, Set.of());
    }

    /**
     * SHARED_WORD where only the named lock classes share a word (one word per class; proposal C
     * names just the pcp lock); locks of every other class stay stateless.
     */
    public static UpBackend sharedWord(String... lockClassNames) {
        if (lockClassNames.length == 0) {
            throw new IllegalArgumentException("sharedWord needs at least one lock class name");
        }
        return new UpBackend(UpMode.SHARED_WORD, Set.copyOf(Arrays.asList(lockClassNames)));
    }

    public UpMode mode() {
        return mode;
    }

    @Override
    public String name() {
        return "UP/" + mode + (sharedClasses.isEmpty() ? "" : sharedClasses.toString());
    }

    @Override
    public int maxCpus() {
        return 1;
    }

    @Override
    public LockWordFactory attach(Machine machine) {
        // The operations keep no per-lock state but the holder tables' deep depths and proposal C's
        // group words: one instance of each per machine, and one shared word per group.
        LockWord stateless = new StatelessWord(machine);
        LockWord stateful = new StatefulWord(machine);
        LockWord debug = new DebugWord(machine);
        ConcurrentHashMap<String, LockWord> groups = new ConcurrentHashMap<>();
        return (lockName, lockClass) -> {
            switch (mode) {
                case DEBUG:
                    return debug;
                case STATEFUL:
                    return stateful;
                case SHARED_WORD:
                    if (sharedClasses.isEmpty() || sharedClasses.contains(lockClass.name())) {
                        return groups.computeIfAbsent(lockClass.name(), k -> new SharedWordLock(machine));
                    }
                    return stateless;
                case ANY_CONTEXT_CLASS:
                    return lockClass.isAnyContext() ? stateful : stateless;
                case STATELESS:
                default:
                    return stateless;
            }
        };
    }

    @Override
    public String toString() {
        return name();
    }
}
