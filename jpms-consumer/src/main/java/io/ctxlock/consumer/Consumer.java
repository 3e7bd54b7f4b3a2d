package io.ctxlock.consumer;

import io.ctxlock.alloc.AllocatorScenario;
import io.ctxlock.alloc.KernelConfig;
import io.ctxlock.api.Machine;
import io.ctxlock.explore.Matrix;
import java.util.List;

/** Uses what {@code requires io.ctxlock.explore} must bring along: the allocator's and the lock API's types. */
public final class Consumer {
    private Consumer() {}

    /** One cell of the matrix, and a machine on this module's own backend. */
    public static String run() {
        Matrix m = Matrix.run(List.of(AllocatorScenario.S3), List.of(KernelConfig.B), 1);
        Machine own = Machine.builder().backend(new OwnBackend()).build();
        return m.cells().get(0).result().cellText() + "; " + own;
    }
}
