package io.ctxlock.api.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxlock.api.Backend;
import io.ctxlock.api.Cpu;
import io.ctxlock.api.LockClass;
import io.ctxlock.api.LockMisuseException;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;

/**
 * What a backend module tells {@link SpinLockContract} about itself, and the machine, CPU and
 * assertions the contract's tests share.
 */
public abstract class ContractFixture {
    protected enum Nested {
        /** Fails cleanly with reason NESTED; nothing logged (SMP, proposals A-D, LocalTryLock). */
        FAILS,
        /** Fails with NESTED and the debug spinlock's report in the kernel log (UP DEBUG). */
        FAILS_AND_LOGS,
        /** Succeeds: the stateless UP spinlock, the seed's bug. */
        SUCCEEDS
    }

    protected abstract Backend backend();

    /** What a nested trylock of a lock of {@link #lockClass} does on this backend. */
    protected abstract Nested nested();

    /** The class of the locks the contract creates (backends with per-class behaviour override). */
    protected LockClass lockClass(String name) {
        return LockClass.anyContext(name);
    }

    protected Machine machine(boolean preemptRt) {
        return Machine.builder().backend(backend()).preemptRt(preemptRt).build();
    }

    protected Machine m;
    protected Cpu cpu;

    protected SpinLock newLock(String name) {
        if (m == null) {
            m = machine(false);
            cpu = m.cpu(0);
        }
        return m.newSpinLock(name, lockClass(name));
    }

    protected boolean hasState() {
        return nested() != Nested.SUCCEEDS;
    }

    /** The splat names lock, CPU and context, and was written to the kernel log of {@link #m} too. */
    protected void assertNamesLockCpuContext(LockMisuseException e, String lock, String context) {
        assertNamesLockCpuContext(m, e, lock, context);
    }

    /** The splat names lock, CPU and context, and was written to {@code machine}'s kernel log too. */
    protected void assertNamesLockCpuContext(Machine machine, LockMisuseException e, String lock, String context) {
        assertNotNull(machine, "the machine whose kernel log must hold the splat");
        assertEquals(lock, e.lockName());
        assertEquals(0, e.cpu());
        assertEquals(context, e.context());
        assertTrue(e.getMessage().contains(lock), e.getMessage());
        assertTrue(e.getMessage().contains("CPU#0"), e.getMessage());
        assertTrue(e.getMessage().contains(context), e.getMessage());
        assertTrue(machine.kernelLog().contains(e.getMessage().lines().findFirst().orElseThrow()),
                "the splat is in the kernel log: " + machine.kernelLog());
    }
}
