package io.ctxlock.up;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxlock.api.ContextKind;
import io.ctxlock.api.Cpu;
import io.ctxlock.api.LockClass;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Beyond lockdep: a trylock that cannot fail, from NMI, hardirq or a probe, is reported. */
class LockdepOnUpTest {
    @ParameterizedTest
    @EnumSource(value = ContextKind.class, names = {"NMI", "HARDIRQ", "PROBE"})
    void aTrylockThatCannotFailFromAnInterruptIsReportedEvenWhenNothingHoldsTheLock(ContextKind kind) {
        Machine m = Machine.builder().backend(UpBackend.create(UpMode.STATELESS)).lockdep(true).build();
        SpinLock list = m.newSpinLock("n->list_lock");
        m.cpu(0).run(kind, "kmalloc_nolock", c -> {
            assertTrue(list.tryLock(c));
            list.unlock(c);
        });
        assertEquals(1, m.lockdep().reports().size());
        assertTrue(m.lockdep().reports().get(0).contains("trylock that cannot fail from " + kind.kernelName()));
    }

    @Test
    void anAnyContextLockUnderAnyContextClassModeIsNotReportedAnOrdinaryOneIs() {
        Machine m = Machine.builder().backend(UpBackend.create(UpMode.ANY_CONTEXT_CLASS)).lockdep(true).build();
        SpinLock anyContext = m.newSpinLock("zone->lock", LockClass.anyContext("zone->lock"));
        SpinLock ordinary = m.newSpinLock("other", LockClass.of("other"));
        Cpu cpu = m.cpu(0);
        cpu.run(ContextKind.NMI, "bpf", c -> {
            assertTrue(anyContext.tryLock(c));
            anyContext.unlock(c);
        });
        assertEquals(List.of(), m.lockdep().reports());
        cpu.run(ContextKind.NMI, "bpf", c -> {
            assertTrue(ordinary.tryLock(c));
            ordinary.unlock(c);
        });
        assertEquals(1, m.lockdep().reports().size());
    }

    @Test
    void aTaskTrylockIsNotReported() {
        Machine m = Machine.builder().backend(UpBackend.create(UpMode.STATELESS)).lockdep(true).build();
        SpinLock pcp = m.newSpinLock("pcp->lock");
        assertTrue(pcp.tryLock(m.cpu(0)));
        pcp.unlock(m.cpu(0));
        assertEquals(List.of(), m.lockdep().reports());
    }
}
