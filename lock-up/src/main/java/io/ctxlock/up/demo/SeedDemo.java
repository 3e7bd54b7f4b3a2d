package io.ctxlock.up.demo;

import io.ctxlock.api.ContextKind;
import io.ctxlock.api.Cpu;
import io.ctxlock.api.Interrupt;
import io.ctxlock.api.KernelLog;
import io.ctxlock.api.LockClass;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import io.ctxlock.api.TryResult;
import io.ctxlock.up.UpBackend;
import io.ctxlock.up.UpMode;
import java.io.PrintStream;

/**
 * The seed's bug at lock level: a task holds {@code pcp->lock} (taken with trylock and interrupts
 * enabled, as mm/page_alloc.c does), and at an interrupt point inside the section an NMI, a hardirq
 * and a probe each trylock the same lock. Run on every UP mode, it prints what each trylock did.
 */
public final class SeedDemo {
    private static final String POINT = "free_pcppages_bulk:loop";

    private SeedDemo() {}

    public static void main(String[] args) {
        run(System.out);
    }

    /** Prints the demo table to {@code out}; returns the number of nested trylocks that acquired. */
    public static int run(PrintStream out) {
        out.println("ctxlock seed demo: the task holds pcp->lock; at " + POINT
                + " an interrupt trylocks it on the same CPU");
        out.printf("%-38s %-9s %-26s %s%n", "backend", "context", "nested trylock", "verdict");
        int corrupt = 0;
        Object[][] rows = {
            {UpBackend.create(UpMode.STATELESS), true},
            {UpBackend.create(UpMode.DEBUG), true},
            {UpBackend.create(UpMode.STATEFUL), true},
            {UpBackend.sharedWord("pcp->lock"), true},
            {UpBackend.create(UpMode.ANY_CONTEXT_CLASS), true},
            {UpBackend.create(UpMode.ANY_CONTEXT_CLASS), false},
        };
        for (Object[] row : rows) {
            UpBackend backend = (UpBackend) row[0];
            boolean anyContext = (Boolean) row[1];
            for (ContextKind kind : new ContextKind[] {ContextKind.NMI, ContextKind.HARDIRQ, ContextKind.PROBE}) {
                Machine m = Machine.builder().backend(backend).build();
                TryResult r = nestedTryLock(m, kind, anyContext);
                boolean acquired = r == TryResult.ACQUIRED;
                corrupt += acquired ? 1 : 0;
                String log = firstLine(m.kernelLog());
                out.printf("%-38s %-9s %-26s %s%n",
                        backend.name() + (anyContext ? "" : " (ordinary lock)"),
                        kind.kernelName(),
                        acquired ? "ACQUIRED" : "failed: " + r.reason(),
                        acquired ? "CORRUPT: two contexts inside one critical section"
                                : "clean" + (log.isEmpty() ? "" : "; dmesg: " + log));
            }
        }
        out.println(corrupt + " nested trylocks walked into a held critical section.");
        return corrupt;
    }

    /** The task takes the lock, passes {@link #POINT} with {@code kind} injected, and releases. */
    static TryResult nestedTryLock(Machine m, ContextKind kind, boolean anyContext) {
        SpinLock pcp = m.newSpinLock("pcp->lock",
                anyContext ? LockClass.anyContext("pcp->lock") : LockClass.of("pcp->lock"));
        TryResult[] seen = new TryResult[1];
        Interrupt irq = Interrupt.of(kind, "free_pages_nolock", c -> {
            seen[0] = pcp.tryLockDetailed(c);
            if (seen[0].acquired()) {
                pcp.unlock(c);
            }
        });
        m.setPointObserver((c, label, seq) -> {
            if (label.equals(POINT)) {
                c.raise(irq);
            }
        });
        Cpu cpu = m.cpu(0);
        if (!pcp.tryLock(cpu)) {
            throw new IllegalStateException("task could not take an uncontended " + pcp);
        }
        cpu.interruptPoint(POINT);
        pcp.unlock(cpu);
        return seen[0];
    }

    private static String firstLine(KernelLog log) {
        return log.size() == 0 ? "" : log.entries().get(0).text().lines().findFirst().orElse("");
    }
}
