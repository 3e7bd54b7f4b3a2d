package io.ctxlock.bench;

import io.ctxlock.api.Backend;
import io.ctxlock.api.LockClass;
import io.ctxlock.smp.SmpAlgorithm;
import io.ctxlock.smp.SmpBackend;
import io.ctxlock.up.UpBackend;
import io.ctxlock.up.UpMode;

/** The lock backends the benchmarks compare, by the names used in @Param and RESULTS.md. */
final class Backends {
    static final String[] ALL = {"UP_STATELESS", "UP_DEBUG", "UP_STATEFUL", "UP_SHARED_WORD", "UP_TRYLOCK_SAFE",
        "SMP_TTAS", "SMP_TICKET"};

    private Backends() {}

    static Backend of(String name) {
        switch (name) {
            case "UP_STATELESS":
                return UpBackend.create(UpMode.STATELESS);
            case "UP_DEBUG":
                return UpBackend.create(UpMode.DEBUG);
            case "UP_STATEFUL":
                return UpBackend.create(UpMode.STATEFUL);
            case "UP_SHARED_WORD":
                return UpBackend.create(UpMode.SHARED_WORD);
            case "UP_TRYLOCK_SAFE":
                return UpBackend.create(UpMode.TRYLOCK_SAFE_CLASS);
            case "SMP_TTAS":
                return SmpBackend.create(SmpAlgorithm.TTAS);
            case "SMP_TICKET":
                return SmpBackend.create(SmpAlgorithm.TICKET);
            default:
                throw new IllegalArgumentException(name);
        }
    }

    /** The class a benchmark lock gets: marked, so TRYLOCK_SAFE_CLASS gives it a word. */
    static LockClass lockClass() {
        return LockClass.anyContext("bench->lock");
    }
}
