package io.ctxlock.jcstress;

import io.ctxlock.alloc.KernelConfig;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * UP with the any-context lock class (proposal D): CPU0 runs kmalloc/kfree while an NMI raised from another thread calls kmalloc_nolock and
 * kfree_nolock on CPU0 ({@link AllocatorHarness}). No object is handed out twice, and after the
 * deferred work all memory is accounted for.
 *
 * <p>Run just this test: {@code java -jar jcstress-tests/target/jcstress.jar -t Allocator_03_UpAnyContextKmallocVsNmiNolock}
 */
@JCStressTest
@JCStressMeta(AllocatorOutcomes.class)
@State
public class Allocator_03_UpAnyContextKmallocVsNmiNolock {
    final AllocatorHarness h = new AllocatorHarness(KernelConfig.D);

    @Actor
    public void task() {
        h.task();
    }

    @Actor
    public void nmi() {
        h.raise();
    }

    @Arbiter
    public void arbiter(II_Result r) {
        r.r1 = h.accounted();
        r.r2 = h.nolockGot();
    }
}
