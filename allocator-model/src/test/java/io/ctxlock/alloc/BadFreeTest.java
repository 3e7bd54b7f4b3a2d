package io.ctxlock.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxlock.api.Cpu;
import org.junit.jupiter.api.Test;

/** Bad input from callers: each a named error, reported, with nothing changed. */
class BadFreeTest {
    private final KernelModel k = Configs.boot(KernelConfig.B);
    private final Cpu cpu = k.machine().cpu(0);

    private void assertUnchanged(AllocatorInvariants.Accounting before) {
        assertEquals(before, k.invariants().accounting());
        assertEquals(java.util.List.of(), k.invariants().violations());
        assertEquals(0, cpu.preemptCount());
        assertTrue(!cpu.irqsDisabled());
    }

    @Test
    void kfreeOfAPointerNeverAllocatedIsInvalidPointer() {
        k.slub().kmalloc(cpu, 64);
        AllocatorInvariants.Accounting before = k.invariants().accounting();
        assertThrows(BadFreeException.InvalidPointer.class, () -> k.slub().kfree(cpu, 511 * 4096));
        assertThrows(BadFreeException.InvalidPointer.class, () -> k.slub().kfree(cpu, -8));
        assertThrows(BadFreeException.InvalidPointer.class, () -> k.slub().kfreeNolock(cpu, 1 << 30));
        assertTrue(k.machine().kernelLog().contains("Invalid object pointer"));
        assertUnchanged(before);
    }

    @Test
    void doubleKfreeIsDoubleFree() {
        int obj = k.slub().kmalloc(cpu, 128);
        k.slub().kfree(cpu, obj);
        AllocatorInvariants.Accounting before = k.invariants().accounting();
        assertThrows(BadFreeException.DoubleFree.class, () -> k.slub().kfree(cpu, obj));
        assertThrows(BadFreeException.DoubleFree.class, () -> k.slub().kfreeNolock(cpu, obj));
        assertTrue(k.machine().kernelLog().contains("Object already free"));
        assertUnchanged(before);
    }

    @Test
    void kfreeOfAnInteriorPointerIsInteriorPointer() {
        int obj = k.slub().kmalloc(cpu, 256);
        AllocatorInvariants.Accounting before = k.invariants().accounting();
        assertThrows(BadFreeException.InteriorPointer.class, () -> k.slub().kfree(cpu, obj + 8));
        assertUnchanged(before);
        k.slub().kfree(cpu, obj);
    }

    @Test
    void freePagesWithTheWrongOrderOrOfPagesNotOwnedIsBadPage() {
        int block = k.pages().allocPages(cpu, 2);
        AllocatorInvariants.Accounting before = k.invariants().accounting();
        assertThrows(BadFreeException.BadPage.class, () -> k.pages().freePages(cpu, block, 1));
        assertThrows(BadFreeException.BadPage.class, () -> k.pages().freePages(cpu, block + 1, 0));
        assertThrows(BadFreeException.BadPage.class, () -> k.pages().freePagesNolock(cpu, 100_000, 0));
        assertTrue(k.machine().kernelLog().contains("Bad page state"));
        assertUnchanged(before);
        k.pages().freePages(cpu, block, 2);
        assertThrows(BadFreeException.BadPage.class, () -> k.pages().freePages(cpu, block, 2), "double free of pages");
    }
}
