package io.ctxlock.bench;

import io.ctxlock.api.LockClass;

/**
 * The lock backends the benchmarks compare: their names for {@link io.ctxlock.api.Backends#named},
 * as used in @Param and RESULTS.md.
 */
final class BenchLocks {
    static final String[] ALL = {"up-stateless", "up-debug", "up-stateful", "up-shared-word", "up-any-context-class",
        "smp-ttas", "smp-ticket"};

    private BenchLocks() {}

    /** The class a benchmark lock gets: any-context, so ANY_CONTEXT_CLASS gives it a word. */
    static LockClass lockClass() {
        return LockClass.anyContext("bench->lock");
    }
}
