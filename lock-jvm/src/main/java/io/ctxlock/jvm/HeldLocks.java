package io.ctxlock.jvm;

import org.jctools.queues.varhandle.MpscVarHandleArrayQueue;

/**
 * The locks one owner holds, with the depth of the context that took each, and the tasks deferred
 * to each one's unlock: the kernel's {@code current->held_locks} for plain Java. Touched only by
 * the owner's thread; a deferred-task queue belongs to a slot and is created on the slot's first
 * deferral, then reused, so deferring allocates nothing after warm-up. (A JCTools array queue:
 * bounded and allocation-free; its MPSC offer's CAS never contends here, as one thread offers and polls.)
 */
final class HeldLocks {
    /** Locks one owner can hold at once; the kernel's MAX_LOCK_DEPTH. */
    static final int MAX_HELD = 48;

    private final Owner owner;
    private final ContextLock[] locks = new ContextLock[MAX_HELD];
    private final int[] depths = new int[MAX_HELD];
    @SuppressWarnings({"unchecked", "rawtypes"})
    private final MpscVarHandleArrayQueue<Runnable>[] deferred = new MpscVarHandleArrayQueue[MAX_HELD];
    private int count;

    HeldLocks(Owner owner) {
        this.owner = owner;
    }

    /** The slot holding {@code lock}, or -1: most recent first, as nesting takes them. */
    int find(ContextLock lock) {
        for (int i = count - 1; i >= 0; i--) {
            if (locks[i] == lock) {
                return i;
            }
        }
        return -1;
    }

    int depth(int slot) {
        return depths[slot];
    }

    ContextLock lock(int slot) {
        return locks[slot];
    }

    int count() {
        return count;
    }

    /** The most recent slot taken by the context at {@code depth}, or -1. */
    int topAt(int depth) {
        for (int i = count - 1; i >= 0; i--) {
            if (depths[i] == depth) {
                return i;
            }
        }
        return -1;
    }

    /** The depth of the deepest context holding a lock, or -1. */
    int deepest() {
        int d = -1;
        for (int i = 0; i < count; i++) {
            d = Math.max(d, depths[i]);
        }
        return d;
    }

    /** The names of the locks taken at {@code depth} or deeper, for a report. */
    String namesFrom(int depth) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (depths[i] >= depth) {
                b.append(b.length() == 0 ? "" : ", ").append(locks[i].name());
            }
        }
        return b.length() == 0 ? "no lock" : b.toString();
    }

    /** Called before the lock is taken, so that a full table refuses with nothing to undo. */
    void checkRoom(ContextLock lock) {
        if (count == MAX_HELD) {
            throw new ContextMisuseException(owner, "more than " + MAX_HELD + " locks held taking " + lock.name());
        }
    }

    void push(ContextLock lock, int depth) {
        locks[count] = lock;
        depths[count] = depth;
        count++;
    }

    /** Forgets {@code slot} (unlocks need not be in order); its empty queue moves to the free end. */
    void remove(int slot) {
        if (slot == count - 1) { // the usual, last-in first-out case
            count--;
            locks[count] = null;
            return;
        }
        MpscVarHandleArrayQueue<Runnable> q = deferred[slot];
        int tail = count - 1 - slot;
        System.arraycopy(locks, slot + 1, locks, slot, tail);
        System.arraycopy(depths, slot + 1, depths, slot, tail);
        System.arraycopy(deferred, slot + 1, deferred, slot, tail);
        count--;
        locks[count] = null;
        deferred[count] = q;
    }

    /** Queues {@code task} for the unlock of the lock in {@code slot}; a full queue throws. */
    void defer(int slot, Runnable task) {
        MpscVarHandleArrayQueue<Runnable> q = deferred[slot];
        if (q == null) {
            q = deferred[slot] = new MpscVarHandleArrayQueue<>(owner.deferCapacity());
        }
        if (!q.offer(task)) {
            throw new DeferQueueFullException(owner, locks[slot], q.capacity());
        }
    }

    /**
     * Whether {@code slot} has a deferred-task queue: one is created on the slot's first deferral and
     * stays with the slot index, empty, for whichever lock holds that slot later.
     */
    boolean mayHaveDeferred(int slot) {
        return deferred[slot] != null;
    }

    /** Drops the tasks deferred to the lock in {@code slot} (its release without a drain); returns how many. */
    int discardDeferred(int slot) {
        MpscVarHandleArrayQueue<Runnable> q = deferred[slot];
        int n = 0;
        while (q != null && q.relaxedPoll() != null) {
            n++;
        }
        return n;
    }

    /** The next task deferred to the lock in {@code slot}, or null. */
    Runnable nextDeferred(int slot) {
        MpscVarHandleArrayQueue<Runnable> q = deferred[slot];
        return q == null ? null : q.relaxedPoll();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            b.append(i == 0 ? "" : ", ").append(locks[i].name()).append(" (").append(owner.frameName(depths[i]))
                    .append(')');
        }
        return b.append(']').toString();
    }
}
