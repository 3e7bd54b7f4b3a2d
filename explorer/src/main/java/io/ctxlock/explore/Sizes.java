package io.ctxlock.explore;

import io.ctxlock.alloc.KernelConfig;

/**
 * The kernel's structure sizes on x86-64 that the proposals' memory cost rests on, each with the
 * header it comes from, and the bytes each configuration gives each kind of lock on a UP kernel.
 */
public final class Sizes {
    /** {@code arch_spinlock_t} on UP without debug: {@code typedef struct { } arch_spinlock_t;} (include/linux/spinlock_types_up.h). */
    public static final int UP_SPINLOCK = 0;
    /**
     * {@code raw_spinlock_t} on UP with CONFIG_DEBUG_SPINLOCK: {@code volatile unsigned int slock}
     * (include/linux/spinlock_types_up.h) plus {@code unsigned int magic, owner_cpu; void *owner}
     * (include/linux/spinlock_types_raw.h): 4 + 4 + 4 + 8 = 20, aligned to 24.
     */
    public static final int UP_DEBUG_SPINLOCK = 24;
    /** {@code struct qspinlock} ({@code atomic_t val}, include/asm-generic/qspinlock_types.h): the SMP lock A brings. */
    public static final int QSPINLOCK = 4;
    /** {@code atomic_t} ({@code int counter}, include/linux/types.h): C's one shared word. */
    public static final int ATOMIC_T = 4;
    /** The {@code locked} word B gives the UP lock, as the debug lock's {@code unsigned int slock}. */
    public static final int UP_LOCK_WORD = 4;
    /**
     * {@code spinlock_t} on PREEMPT_RT, {@code struct rt_mutex_base} (include/linux/rtmutex.h): the
     * {@code raw_spinlock_t wait_lock} (0 on UP), {@code struct rb_root_cached waiters} (16) and
     * {@code struct task_struct *owner} (8).
     */
    public static final int RT_SPINLOCK_UP = 24;

    /** The citations, one line. */
    public static final String CITATIONS = "UP arch_spinlock_t 0 B and its debug raw_spinlock_t 24 B"
            + " (include/linux/spinlock_types_up.h, spinlock_types_raw.h); qspinlock 4 B"
            + " (include/asm-generic/qspinlock_types.h); atomic_t 4 B (include/linux/types.h);"
            + " RT spinlock_t on UP 24 B (struct rt_mutex_base, include/linux/rtmutex.h); x86-64";

    private Sizes() {}

    /** Bytes per lock of each kind, and bytes that do not depend on the lock count. */
    public record PerLock(int pcp, int zone, int listLock, int barn, int other, int fixed) {
        public long total(LockCounts n) {
            return (long) pcp * n.pcpLocks() + (long) zone * n.zones() + (long) listLock * n.listLocks()
                    + (long) barn * n.barns() + (long) other * n.otherLocks() + fixed;
        }

        @Override
        public String toString() {
            return pcp + "," + zone + "," + listLock + "," + barn + "," + other + (fixed == 0 ? "" : " + " + fixed + " once");
        }

        String json() {
            return "{\"pcp\":" + pcp + ",\"zone\":" + zone + ",\"listLock\":" + listLock + ",\"barn\":" + barn
                    + ",\"other\":" + other + ",\"once\":" + fixed + "}";
        }
    }

    /** What {@code config} costs per lock on a UP kernel. */
    public static PerLock perLock(KernelConfig config) {
        switch (config) {
            case UP_DEBUG:
                return uniform(UP_DEBUG_SPINLOCK);
            case A:
                return uniform(QSPINLOCK);
            case B:
                return uniform(UP_LOCK_WORD);
            case C:
                return new PerLock(0, 0, 0, 0, 0, ATOMIC_T); // "4 extra bytes on UP, rather than 4 bytes per spinlock"
            case D:
                return new PerLock(UP_LOCK_WORD, UP_LOCK_WORD, UP_LOCK_WORD, UP_LOCK_WORD, UP_SPINLOCK, 0);
            case RT:
                return uniform(RT_SPINLOCK_UP);
            default:
                return uniform(UP_SPINLOCK); // UP as it is, and E, which changes code, not locks
        }
    }

    private static PerLock uniform(int bytes) {
        return new PerLock(bytes, bytes, bytes, bytes, bytes, 0);
    }
}
