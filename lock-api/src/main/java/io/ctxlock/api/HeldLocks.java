package io.ctxlock.api;

/**
 * A CPU's held-lock stack, the kernel's {@code current->held_locks} (lockdep): each lock (by its
 * machine-wide id, so that a push stores no reference and pays no GC write barrier) with the
 * depth of the context that holds it, oldest first. Used to refuse a handler that returns holding
 * a lock, and to name held locks in splats.
 *
 * <p>Bound thread only; plain arrays sized once and padded (see {@link PerCpuPadding}: slot {@code i}
 * is element {@code P + i}). Locks are usually released in reverse order
 * (top of the stack); an out-of-order release leaves a hole that is reclaimed when the slots
 * above it are, so a hold's slot never moves.
 */
final class HeldLocks extends HeldLocksFields {
    /** The kernel's MAX_LOCK_DEPTH. */
    static final int MAX_LOCK_DEPTH = 48;
    /** Depth of a hold whose context ended without releasing it (after a leak or an exception). */
    static final int ORPHAN = -1;
    private static final int P = PAD_4;

    // 128 bytes after the fields (in HeldLocksFields), see PerCpuPadding
    byte q000, q001, q002, q003, q004, q005, q006, q007, q008, q009, q010, q011, q012, q013, q014, q015;
    byte q016, q017, q018, q019, q020, q021, q022, q023, q024, q025, q026, q027, q028, q029, q030, q031;
    byte q032, q033, q034, q035, q036, q037, q038, q039, q040, q041, q042, q043, q044, q045, q046, q047;
    byte q048, q049, q050, q051, q052, q053, q054, q055, q056, q057, q058, q059, q060, q061, q062, q063;
    byte q064, q065, q066, q067, q068, q069, q070, q071, q072, q073, q074, q075, q076, q077, q078, q079;
    byte q080, q081, q082, q083, q084, q085, q086, q087, q088, q089, q090, q091, q092, q093, q094, q095;
    byte q096, q097, q098, q099, q100, q101, q102, q103, q104, q105, q106, q107, q108, q109, q110, q111;
    byte q112, q113, q114, q115, q116, q117, q118, q119, q120, q121, q122, q123, q124, q125, q126, q127;

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
        ids[P + slot] = id;
        depths[P + slot] = depth;
        return slot;
    }

    /** Forgets the hold of {@code lock} by the context at {@code depth}. */
    void remove(int id, int depth) {
        for (int i = top - 1; i >= 0; i--) {
            if (ids[P + i] == id && depths[P + i] == depth) {
                ids[P + i] = 0;
                break;
            }
        }
        while (top > 0 && ids[P + top - 1] == 0) {
            top--;
        }
    }

    /** The id of a lock held by the context at {@code depth}, or 0. */
    int heldAt(int depth) {
        for (int i = top - 1; i >= 0; i--) {
            if (ids[P + i] != 0 && depths[P + i] == depth) {
                return ids[P + i];
            }
        }
        return 0;
    }

    /** Marks the holds of a context that is ending as orphaned (they stay listed). */
    void orphan(int depth) {
        for (int i = top - 1; i >= 0; i--) {
            if (ids[P + i] != 0 && depths[P + i] == depth) {
                depths[P + i] = ORPHAN;
            }
        }
    }

    String describe(Cpu cpu) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < top; i++) {
            if (ids[P + i] != 0) {
                sb.append(sb.length() == 0 ? "" : ", ").append(cpu.machine().lockById(ids[P + i]).name()).append(" (")
                        .append(depths[P + i] == ORPHAN ? "orphaned" : cpu.frameName(depths[P + i])).append(')');
            }
        }
        return sb.length() == 0 ? "none" : sb.toString();
    }
}

/** The fields of {@link HeldLocks}, after the padding before them. */
abstract class HeldLocksFields extends PerCpuPadding {
    final int[] ids = new int[padded(HeldLocks.MAX_LOCK_DEPTH, PAD_4)]; // lock ids, 0 = empty slot
    final int[] depths = new int[padded(HeldLocks.MAX_LOCK_DEPTH, PAD_4)];
    int top; // plain; bound thread only
}
