package io.ctxlock.up;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxlock.api.ContextKind;
import io.ctxlock.api.Cpu;
import io.ctxlock.api.LockClass;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import io.ctxlock.api.TryResult;
import org.junit.jupiter.api.Test;

/** Proposal C: one word for all locks of a group; locks outside the group keep no state. */
class SharedWordTest {
    private final Machine m = Machine.builder().backend(UpBackend.sharedWord("pcp->lock")).build();
    private final Cpu cpu = m.cpu(0);
    private final SpinLock pcpNormal = m.newSpinLock("zone[Normal]->pcp", LockClass.of("pcp->lock"));
    private final SpinLock pcpDma = m.newSpinLock("zone[DMA]->pcp", LockClass.of("pcp->lock"));
    private final SpinLock zone = m.newSpinLock("zone->lock");

    @Test
    void holdingOnePcpLockMakesTheOtherFailToo() {
        assertTrue(pcpNormal.tryLock(cpu));
        assertTrue(pcpDma.isLocked(), "the word is shared");
        assertEquals(TryResult.SAME_CONTEXT, pcpDma.tryLockDetailed(cpu));
        cpu.run(ContextKind.NMI, "perf", c -> assertEquals(TryResult.NESTED, pcpDma.tryLockDetailed(c)));
        pcpNormal.unlock(cpu);
        assertTrue(pcpDma.tryLock(cpu));
        pcpDma.unlock(cpu);
    }

    @Test
    void unlockingTheOtherLockOfTheGroupIsRefused() {
        assertTrue(pcpNormal.tryLock(cpu));
        assertFalse(pcpDma.isHeldByCurrentContext(cpu));
        org.junit.jupiter.api.Assertions.assertThrows(io.ctxlock.api.LockMisuseException.class, () -> pcpDma.unlock(cpu));
        pcpNormal.unlock(cpu);
    }

    @Test
    void locksOutsideTheGroupStayStateless() {
        zone.lock(cpu);
        assertFalse(zone.isLocked());
        cpu.run(ContextKind.NMI, "perf", c -> {
            assertEquals(TryResult.ACQUIRED, zone.tryLockDetailed(c), "the S3-S5 hole of proposal C");
            zone.unlock(c);
        });
        zone.unlock(cpu);
    }

    @Test
    void machinesDoNotShareTheWord() {
        Machine other = Machine.builder().backend(UpBackend.sharedWord("pcp->lock")).build();
        SpinLock otherPcp = other.newSpinLock("zone[Normal]->pcp", LockClass.of("pcp->lock"));
        assertTrue(pcpNormal.tryLock(cpu));
        assertTrue(otherPcp.tryLock(other.cpu(0)));
        otherPcp.unlock(other.cpu(0));
        pcpNormal.unlock(cpu);
    }
}
