package io.ctxlock.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.ctxlock.alloc.KernelConfig;
import io.ctxlock.alloc.KernelModel;
import io.ctxlock.alloc.PageState;
import io.ctxlock.api.ContextKind;
import io.ctxlock.api.Cpu;
import io.ctxlock.api.Machine;
import io.ctxlock.smp.SmpBackend;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The zone's deferred-free list under two concurrent producers: on PREEMPT_RT a
 * {@code free_pages_nolock()} of a pcp order from NMI is refused and deferred, here from NMIs on CPU0
 * and CPU1 at once. The arbiter drains the list under zone->lock: both pages come back to the buddy lists,
 * none lost, none twice, every invariant intact.
 *
 * <p>Run just this test: {@code java -jar jcstress-tests/target/jcstress.jar -t DeferredFree_01}
 */
@JCStressTest
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "Both deferred pages drained; invariants hold.")
@Outcome(expect = FORBIDDEN, desc = "A deferred page was lost or doubled.")
@State
public class DeferredFree_01_ZoneListTwoCpus {
    final Machine m = Machine.builder().cpus(2).preemptRt(true).backend(SmpBackend.create()).mailboxCapacity(4).build();
    final KernelModel k = KernelModel.boot(m, KernelConfig.RT, 64, 8, 4);
    final Cpu c0 = m.cpu(0);
    final Cpu c1 = m.cpu(1);
    // Order 3, a pcp order: __free_frozen_pages() defers those on RT in NMI; a larger order goes to
    // free_one_page() first, whose zone trylock succeeds here, and nothing would be deferred.
    final int p0 = k.pages().allocPages(c0, 3);
    final int p1 = k.pages().allocPages(c0, 3);

    {
        c0.unbindThread(); // actor 1 drives CPU0 next
    }

    @Actor
    public void cpu0() {
        c0.run(ContextKind.NMI, "bpf", c -> k.pages().freePagesNolock(c, p0, 3));
        c0.unbindThread(); // the arbiter drives CPU0 last
    }

    @Actor
    public void cpu1() {
        c1.run(ContextKind.NMI, "bpf", c -> k.pages().freePagesNolock(c, p1, 3));
    }

    @Arbiter
    public void arbiter(II_Result r) {
        r.r1 = k.pages().deferredPages() == 2 ? 1 : 0;
        k.pages().flushDeferred(c0);
        r.r2 = k.invariants().violations().isEmpty() && k.invariants().accounting().frames(PageState.CALLER) == 0
                && k.pages().deferredPages() == 0 ? 1 : 0;
    }
}
