package io.ctxlock.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.KernelBug;
import java.lang.reflect.Field;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole-model checker fires: each test breaks one piece of state on purpose (through the
 * package-private fields, the test-only way in) and asserts the checker's own text for it.
 */
class AllocatorInvariantsTest {
    private KernelModel k;
    private Cpu cpu;
    private AllocatorInvariants inv;
    private KmemCache cache;
    private Slab current;

    @BeforeEach
    void bootAndUseEveryPlace() {
        k = KernelModel.boot(KernelConfig.B.machineBuilder().build(), KernelConfig.B, 64, 8, 4);
        cpu = k.machine().cpu(0);
        inv = k.invariants();
        k.pages().freePages(cpu, k.pages().allocPages(cpu, 0), 0); // a page on the pcp
        k.slub().kmalloc(cpu, 64); // a current slab of kmalloc-64
        for (KmemCache c : k.slub().caches) {
            if (c.cpuSlab[0] != null) {
                cache = c;
                current = c.cpuSlab[0];
            }
        }
        assertEquals(List.of(), inv.violations(), "a healthy model");
    }

    @Test
    void aPcpCountThatDisagreesWithItsListsIsReported() {
        PerCpuPages pcp = k.pages().pcps[0];
        int listed = pcp.count;
        pcp.count++;
        assertEquals(List.of("pcp count of " + pcp.lock.name() + ": " + (listed + 1) + " != " + listed,
                "PCP frames: " + listed + " != " + (listed + 1)), inv.violations());
    }

    @Test
    void aFrameInTheWrongPlaceIsReportedByTheCountsAndItsList() {
        PageFrame f = frameIn(PageState.PCP);
        int buddy = frames(PageState.BUDDY);
        int pcp = frames(PageState.PCP);
        String name = k.pages().pcps[0].lock.name();
        f.state = PageState.BUDDY; // still on the pcp's order-0 list, which now reads as broken
        assertEquals(List.of("BUDDY frames: " + (buddy + 1) + " != " + buddy,
                name + " list of order 0 is broken", "pcp count of " + name + ": " + pcp + " != 0",
                "PCP frames: " + (pcp - 1) + " != " + pcp), inv.violations());
    }

    @Test
    void aDeferredCountWithoutItsFramesIsReported() {
        k.pages().zone.deferredFrames.incrementAndGet();
        assertEquals(List.of("DEFERRED frames vs deferred list: 0 != 1"), inv.violations());
    }

    @Test
    void aNrFreeThatDisagreesWithItsListIsReported() throws ReflectiveOperationException {
        Zone zone = k.pages().zone;
        Field f = Zone.class.getDeclaredField("nrFree");
        f.setAccessible(true);
        int[] nrFree = (int[]) f.get(zone);
        int order = zone.maxOrder - 1;
        int len = zone.listLength(order);
        nrFree[order]++;
        List<String> v = inv.violations();
        assertEquals("free_area[" + order + "]: nr_free " + (len + 1) + " but list length " + len, v.get(0));
        assertTrue(v.get(1).startsWith("BUDDY frames: "), v.toString());
    }

    @Test
    void aCurrentSlabThatIsNotFrozenIsReported() {
        synchronized (current) {
            current.frozen = false;
        }
        assertEquals(List.of(cache.name + ": slab pfn " + current.pfn + " frozen=false but current slab of a CPU=true"),
                inv.violations());
    }

    @Test
    void anInuseThatDisagreesWithTheObjectStatesIsReported() {
        int inuse;
        synchronized (current) {
            inuse = current.inuse();
            for (int i = 0; i < current.state.length; i++) {
                if (current.state[i] == Slab.FREE) {
                    current.state[i] = Slab.ALLOCATED;
                    break;
                }
            }
        }
        assertEquals(List.of(cache.name + " slab pfn " + current.pfn + " inuse: " + inuse + " != " + (inuse + 1)),
                inv.violations());
    }

    @Test
    void aSlabMarkedPartialButNotListedIsReported() {
        synchronized (current) {
            current.onPartial = true;
        }
        assertEquals(List.of(cache.name + ": slab pfn " + current.pfn + " marked on the partial list but not on it"),
                inv.violations());
    }

    @Test
    void aNrPartialThatDisagreesWithTheListIsReported() {
        cache.nrPartial++;
        assertEquals(List.of(cache.name + " nr_partial: 1 != 0"), inv.violations());
    }

    @Test
    void checkThrowsTheViolationsAsAKernelBugFromTheCpu() {
        cache.nrPartial++;
        KernelBug e = assertThrows(KernelBug.class, () -> inv.check(cpu));
        assertTrue(e.getMessage().contains("invariant violated") && e.getMessage().contains(cache.name + " nr_partial: 1 != 0"),
                e.getMessage());
    }

    /** Zone:81's merge: two freed order-4 buddies of a 64-page zone come back as the one order-6 block. */
    @Test
    void freedBuddiesMergeBackIntoOneBlock() {
        KernelModel fresh = KernelModel.boot(KernelConfig.B.machineBuilder().build(), KernelConfig.B, 64, 8, 4);
        Cpu c = fresh.machine().cpu(0);
        Zone zone = fresh.pages().zone;
        int a = fresh.pages().allocPages(c, 4); // above the pcp orders: straight from the buddy lists
        int b = fresh.pages().allocPages(c, 4);
        assertEquals(16, Math.abs(a - b), "buddies");
        fresh.pages().freePages(c, a, 4);
        fresh.pages().freePages(c, b, 4);
        for (int o = 0; o < zone.maxOrder; o++) {
            assertEquals(0, zone.nrFree(o), "order " + o);
        }
        assertEquals(1, zone.nrFree(zone.maxOrder));
        assertEquals(List.of(), fresh.invariants().violations());
    }

    private PageFrame frameIn(PageState s) {
        for (PageFrame f : k.pages().zone.frames) {
            if (f.state == s) {
                return f;
            }
        }
        throw new AssertionError("no frame in " + s);
    }

    private int frames(PageState s) {
        return inv.accounting().frames(s);
    }
}
