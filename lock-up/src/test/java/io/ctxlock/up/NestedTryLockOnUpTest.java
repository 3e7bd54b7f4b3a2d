package io.ctxlock.up;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ctxlock.api.ContextKind;
import io.ctxlock.api.Cpu;
import io.ctxlock.api.Interrupt;
import io.ctxlock.api.LockClass;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import io.ctxlock.api.TryResult;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The RFC's question on one CPU: the task holds a lock and, at the interrupt point
 * {@code "pcp:section"}, an NMI, a hardirq or a probe trylocks it. Each UP mode does what the
 * kernel (or the proposal) does.
 */
class NestedTryLockOnUpTest {
    static Stream<Arguments> modes() {
        List<Arguments> rows = new ArrayList<>();
        for (ContextKind kind : new ContextKind[] {ContextKind.NMI, ContextKind.HARDIRQ, ContextKind.PROBE}) {
            rows.add(Arguments.of(UpBackend.create(UpMode.STATELESS), true, kind, TryResult.ACQUIRED, false));
            rows.add(Arguments.of(UpBackend.create(UpMode.DEBUG), true, kind, TryResult.NESTED, true));
            rows.add(Arguments.of(UpBackend.create(UpMode.STATEFUL), true, kind, TryResult.NESTED, false));
            rows.add(Arguments.of(UpBackend.sharedWord("pcp->lock"), true, kind, TryResult.NESTED, false));
            rows.add(Arguments.of(UpBackend.create(UpMode.ANY_CONTEXT_CLASS), true, kind, TryResult.NESTED, false));
            rows.add(Arguments.of(UpBackend.create(UpMode.ANY_CONTEXT_CLASS), false, kind, TryResult.ACQUIRED, false));
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} anyContext={1} {2} -> {3}")
    @MethodSource("modes")
    void nestedTryLockAtTheInjectedPoint(UpBackend backend, boolean anyContext, ContextKind kind,
            TryResult expected, boolean logs) {
        Machine m = Machine.builder().backend(backend).build();
        Cpu cpu = m.cpu(0);
        SpinLock pcp = m.newSpinLock("pcp->lock",
                anyContext ? LockClass.anyContext("pcp->lock") : LockClass.of("pcp->lock"));
        TryResult[] seen = new TryResult[1];
        Interrupt handler = Interrupt.of(kind, "free_pages_nolock", c -> {
            seen[0] = pcp.tryLockDetailed(c);
            if (seen[0].acquired()) {
                pcp.unlock(c);
            }
        });
        m.setPointObserver((c, label, seq) -> {
            if (label.equals("pcp:section")) {
                c.raise(handler);
            }
        });
        assertEquals(true, pcp.tryLock(cpu));
        cpu.interruptPoint("pcp:section");
        pcp.unlock(cpu);
        assertEquals(expected, seen[0]);
        assertEquals(logs, m.kernelLog().contains("BUG: spinlock trylock failure on UP on CPU#0, task/1"),
                m.kernelLog().toString());
        assertEquals(logs ? 1 : 0, m.kernelLog().size());
        if (logs) {
            assertEquals(kind.kernelName() + "(free_pages_nolock)", m.kernelLog().entries().get(0).contextStack()
                    .substring("task > ".length()), "the log entry names the context current stands in for");
        }
        assertEquals(0, cpu.preemptCount());
    }
}
