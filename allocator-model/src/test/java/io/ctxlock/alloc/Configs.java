package io.ctxlock.alloc;

import io.ctxlock.api.Backend;
import io.ctxlock.api.Machine;
import io.ctxlock.smp.SmpBackend;
import io.ctxlock.up.UpBackend;
import io.ctxlock.up.UpMode;

/** The machine each configuration needs, for tests (the model itself depends on lock-api only). */
final class Configs {
    private Configs() {}

    static Backend backend(KernelConfig.BackendKind kind) {
        switch (kind) {
            case SMP:
                return SmpBackend.create();
            case UP_STATELESS:
                return UpBackend.create(UpMode.STATELESS);
            case UP_DEBUG:
                return UpBackend.create(UpMode.DEBUG);
            case UP_STATEFUL:
                return UpBackend.create(UpMode.STATEFUL);
            case UP_SHARED_PCP:
                return UpBackend.sharedWord(PageAllocator.PCP_LOCK_CLASS);
            default:
                return UpBackend.create(UpMode.TRYLOCK_SAFE_CLASS);
        }
    }

    static KernelModel boot(KernelConfig config) {
        Machine m = Machine.builder().backend(backend(config.backendKind())).cpus(config.cpus())
                .preemptRt(config.preemptRt()).build();
        return KernelModel.boot(m, config);
    }
}
