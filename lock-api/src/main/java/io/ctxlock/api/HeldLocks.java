package io.ctxlock.api;

/**
 * A CPU's held-lock stack, the kernel's {@code current->held_locks} (lockdep): each lock (by its
 * machine-wide id, so that a push stores no reference and pays no GC write barrier) with the
 * depth of the context that holds it, oldest first. Used to refuse a handler that returns holding
 * a lock, and to name held locks in splats.
 *
 * <p>Bound thread only; plain arrays sized once. Locks are usually released in reverse order
 * (top of the stack); an out-of-order release leaves a hole that is reclaimed when the slots
 * above it are, so a hold's slot never moves.
 */
final class HeldLocks {
    /** The kernel's MAX_LOCK_DEPTH. */
    static final int MAX_LOCK_DEPTH = 48;
    /** Depth of a hold whose context ended without releasing it (after a leak or an exception). */
    static final int ORPHAN = -1;

    private final int[] ids = new int[MAX_LOCK_DEPTH]; // lock ids, 0 = empty slot
    private final int[] depths = new int[MAX_LOCK_DEPTH];
    private int top;

    /** Throws before a lock is taken if a hold could not be recorded; nothing changes. */
    void checkRoom(Cpu cpu, KernelLock lock) {
        if (top == MAX_LOCK_DEPTH) {
            throw Misuse.lock(LockMisuseException.NestingOverflow::new, cpu, lock, cpu.ownerTag,
                    "MAX_LOCK_DEPTH too low! (" + MAX_LOCK_DEPTH + " held)");
        }
    }

    /** Records a hold by the running context; returns its slot. Call after {@link #checkRoom}. */
    int push(int id, int depth) {
        int slot = top++;
        ids[slot] = id;
        depths[slot] = depth;
        return slot;
    }

    /** Forgets the hold of {@code lock} by the context at {@code depth}. */
    void remove(int id, int depth) {
        for (int i = top - 1; i >= 0; i--) {
            if (ids[i] == id && depths[i] == depth) {
                ids[i] = 0;
                break;
            }
        }
        while (top > 0 && ids[top - 1] == 0) {
            top--;
        }
    }

    /** The id of a lock held by the context at {@code depth}, or 0. */
    int heldAt(int depth) {
        for (int i = top - 1; i >= 0; i--) {
            if (ids[i] != 0 && depths[i] == depth) {
                return ids[i];
            }
        }
        return 0;
    }

    /** Marks the holds of a context that is ending as orphaned (they stay listed). */
    void orphan(int depth) {
        for (int i = top - 1; i >= 0; i--) {
            if (ids[i] != 0 && depths[i] == depth) {
                depths[i] = ORPHAN;
            }
        }
    }

    String describe(Cpu cpu) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < top; i++) {
            if (ids[i] != 0) {
                sb.append(sb.length() == 0 ? "" : ", ").append(cpu.machine().lockById(ids[i]).name()).append(" (")
                        .append(depths[i] == ORPHAN ? "orphaned" : cpu.frameName(depths[i])).append(')');
            }
        }
        return sb.length() == 0 ? "none" : sb.toString();
    }
}
