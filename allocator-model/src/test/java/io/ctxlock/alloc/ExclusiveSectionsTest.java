package io.ctxlock.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.Handler;
import io.ctxlock.api.Interrupt;
import io.ctxlock.api.KernelBug;
import java.util.List;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/**
 * The race detector of each critical section fires: on the stateless UP lock, a probe hit at an
 * interrupt point inside a section runs an allocator call that enters the same section, and the
 * KCSAN-style note names the structure and both contexts. Without the section's
 * {@code Exclusive.enter} on either side, no note.
 */
class ExclusiveSectionsTest {
    private final KernelModel k = KernelModel.boot(KernelConfig.UP.machineBuilder().build(), KernelConfig.UP, 64, 8, 4);
    private final Cpu cpu = k.machine().cpu(0);
    private final PageAllocator pa = k.pages();

    @Test
    void rmqueueBuddyAgainstAFreeOnePage() {
        int other = pa.allocPages(cpu, 4);
        List<String> races = raceAt(Points.RMQUEUE_BUDDY, c -> {
            pa.freePagesNolock(c, other, 4);
            return 0;
        }, c -> pa.allocPages(c, 4));
        assertEquals("zone free_area lists entered by probe(bpf) on CPU#0 while task on CPU#0 is inside", races.get(0));
    }

    @Test
    void pcpListAddAgainstAPcpAllocation() {
        int page = pa.allocPages(cpu, 0);
        pa.freePages(cpu, pa.allocPages(cpu, 0), 0); // something on the pcp for the handler to take
        List<String> races = raceAt(Points.FREE_PCP_LIST_ADD, c -> pa.allocPagesNolock(c, 0), c -> {
            pa.freePages(c, page, 0);
            return 0;
        });
        assertEquals(List.of("pcp lists of CPU#0 entered by probe(bpf) on CPU#0 while task on CPU#0 is inside"), races);
    }

    @Test
    void pcpTakeAgainstAPcpFree() {
        int page = pa.allocPages(cpu, 0);
        pa.freePages(cpu, pa.allocPages(cpu, 0), 0);
        List<String> races = raceAt(Points.RMQUEUE_PCPLIST, c -> {
            pa.freePagesNolock(c, page, 0);
            return 0;
        }, c -> pa.allocPages(c, 0));
        assertEquals(List.of("pcp lists of CPU#0 entered by probe(bpf) on CPU#0 while task on CPU#0 is inside"), races);
    }

    /** Runs {@code task} with a probe that does {@code handler} at the first pass of {@code point}; the race notes. */
    private List<String> raceAt(String point, ToIntFunction<Cpu> handler, ToIntFunction<Cpu> task) {
        boolean[] raised = new boolean[1];
        Handler h = handler::applyAsInt;
        k.machine().setPointObserver((c, label, seq) -> {
            if (label.equals(point) && !raised[0]) {
                raised[0] = true;
                c.raise(Interrupt.probe("bpf", h));
            }
        });
        try {
            task.applyAsInt(cpu);
        } catch (KernelBug symptom) {
            // the race may go on to break the structure: the note came first, and is what this checks
        }
        assertTrue(raised[0], "the task passed " + point);
        assertTrue(!k.races().isEmpty(), "no race note at " + point);
        return k.races();
    }
}
