package io.ctxlock.alloc;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.KernelBug;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole-model checks, on demand: every page in exactly one place with counts equal to list
 * lengths, every slab frozen exactly when it is some CPU's current slab and on the partial list
 * exactly when listed, every object's state agreeing with its slab's freelist. The continuous
 * checks (page moves, list deletions, freeze_slab, exclusive sections) run inside the operations;
 * this walks everything and is meant for the end of a run or a test step. Run it on a quiescent
 * machine (no CPU inside an operation).
 */
public final class AllocatorInvariants {
    private final KernelModel model;

    AllocatorInvariants(KernelModel model) {
        this.model = model;
    }

    /** What is violated now; empty when everything holds. */
    public List<String> violations() {
        List<String> out = new ArrayList<>();
        PageAllocator pa = model.pages();
        Zone zone = pa.zone;
        Map<PageState, Integer> frames = countFrames(zone);
        int buddy = 0;
        for (int o = 0; o <= zone.maxOrder; o++) {
            int len = zone.listLength(o);
            if (len != zone.nrFree(o)) {
                out.add("free_area[" + o + "]: nr_free " + zone.nrFree(o) + " but list length " + len);
            }
            buddy += zone.nrFree(o) << o;
        }
        expect(out, "BUDDY frames", frames.get(PageState.BUDDY), buddy);
        int pcpPages = 0;
        for (PerCpuPages pcp : pa.pcps) {
            int listed = 0;
            for (int o = 0; o <= PerCpuPages.COSTLY_ORDER; o++) {
                int len = pcp.length(o, zone.frames);
                if (len < 0) {
                    out.add(pcp.lock.name() + " list of order " + o + " is broken");
                }
                listed += Math.max(0, len) << o;
            }
            expect(out, "pcp count of " + pcp.lock.name(), pcp.count, listed);
            pcpPages += pcp.count;
        }
        expect(out, "PCP frames", frames.get(PageState.PCP), pcpPages);
        expect(out, "DEFERRED frames vs deferred list", frames.get(PageState.DEFERRED), zone.deferredFrames.get());
        checkSlabs(out, zone, frames.get(PageState.SLAB));
        return out;
    }

    /** Throws the first violation as a KernelBug reported from {@code cpu}. */
    public void check(Cpu cpu) {
        List<String> v = violations();
        if (!v.isEmpty()) {
            throw KernelBug.report(cpu, "mm/debug: check_all", "invariant violated", String.join("; ", v));
        }
    }

    /** Frames in each place, and objects handed out, for accounting at the end of a run. */
    public Accounting accounting() {
        Map<PageState, Integer> frames = countFrames(model.pages().zone);
        int objects = 0;
        for (Slab slab : slabs(model.pages().zone)) {
            synchronized (slab) {
                objects += slab.inuse();
            }
        }
        return new Accounting(frames, objects);
    }

    /** Frames per place and objects in use. */
    public record Accounting(Map<PageState, Integer> frames, int objectsInUse) {
        public int frames(PageState s) {
            return frames.getOrDefault(s, 0);
        }
    }

    private void checkSlabs(List<String> out, Zone zone, int slabFrames) {
        Map<Slab, Boolean> current = new IdentityHashMap<>();
        int pages = 0;
        for (KmemCache s : model.slub().caches) {
            for (Slab c : s.cpuSlab) {
                if (c != null) {
                    current.put(c, Boolean.TRUE);
                }
            }
            int len = model.lists().length(s.partialHead, pfn -> isPartialSlabOf(zone, s, pfn));
            if (len < 0) {
                out.add(s.name + ": node partial list is broken or holds a slab not marked partial");
            } else {
                expect(out, s.name + " nr_partial", s.nrPartial, len);
            }
        }
        for (Slab slab : slabs(zone)) {
            pages += 1 << slab.cache.order;
            synchronized (slab) {
                if (slab.frozen != current.containsKey(slab)) {
                    out.add(slab.cache.name + ": slab pfn " + slab.pfn + " frozen=" + slab.frozen
                            + " but current slab of a CPU=" + current.containsKey(slab));
                }
                int used = 0;
                for (byte b : slab.state) {
                    used += b == Slab.FREE ? 0 : 1;
                }
                expect(out, slab.cache.name + " slab pfn " + slab.pfn + " inuse", slab.inuse(), used);
            }
            if (slab.onPartial && !onList(slab)) {
                out.add(slab.cache.name + ": slab pfn " + slab.pfn + " marked on the partial list but not on it");
            }
        }
        expect(out, "SLAB frames", slabFrames, pages);
    }

    private static boolean isPartialSlabOf(Zone zone, KmemCache s, int pfn) {
        Slab slab = zone.frames[pfn].slab;
        return slab != null && slab.pfn == pfn && slab.cache == s && slab.onPartial;
    }

    private boolean onList(Slab slab) {
        boolean[] found = new boolean[1];
        model.lists().length(slab.cache.partialHead, pfn -> {
            found[0] |= pfn == slab.pfn;
            return true;
        });
        return found[0];
    }

    private static List<Slab> slabs(Zone zone) {
        List<Slab> out = new ArrayList<>();
        Map<Slab, Boolean> seen = new IdentityHashMap<>();
        for (PageFrame f : zone.frames) {
            if (f.state == PageState.SLAB && f.slab != null && seen.put(f.slab, Boolean.TRUE) == null) {
                out.add(f.slab);
            }
        }
        return out;
    }

    private static Map<PageState, Integer> countFrames(Zone zone) {
        Map<PageState, Integer> m = new EnumMap<>(PageState.class);
        for (PageState s : PageState.values()) {
            m.put(s, 0);
        }
        for (PageFrame f : zone.frames) {
            m.merge(f.state, 1, Integer::sum);
        }
        return m;
    }

    private static void expect(List<String> out, String what, int actual, int expected) {
        if (actual != expected) {
            out.add(what + ": " + actual + " != " + expected);
        }
    }
}
