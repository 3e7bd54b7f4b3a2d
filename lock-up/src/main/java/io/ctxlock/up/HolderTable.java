package io.ctxlock.up;

import io.ctxlock.api.SpinLock;
import java.util.Arrays;

/**
 * The model's own record of which contexts hold each lock of a machine, one bit per context depth
 * (0..63, the context stack's bound): lockdep's held-lock view of a lock whose kernel word cannot
 * tell (the stateless spinlock keeps nothing, the debug one only its last owner). The low depths,
 * where every real nesting lives (task, softirq, hardirq, NMI, a few probes), are bits of the lock's
 * own word, which a backend passes in and stores back; only deeper ones go to a table beside the
 * locks, indexed by {@link SpinLock#id()}, so that a lock stays 24 bytes and the fast path never
 * leaves it.
 *
 * <p>Every method takes {@code shift}, where the holder bits start in the word (they run up to bit
 * 31, so depths below {@code 32 - shift} live there): a constant at each call site, which the JIT
 * folds into the bit operations. The CPU's thread only (the UP backends are thread-confined); the
 * table grows on first use.
 */
final class HolderTable {
    private long[] deep = new long[16]; // by lock id: bit (depth - (32 - shift)) for the deeper depths

    /** Whether the context at {@code depth} holds the lock, whose word is {@code word}. */
    boolean holds(SpinLock lock, int word, int depth, int shift) {
        int inWord = 32 - shift;
        if (depth < inWord) {
            return (word & 1 << (shift + depth)) != 0;
        }
        int id = lock.id();
        long[] d = deep;
        return id < d.length && (d[id] & 1L << (depth - inWord)) != 0;
    }

    /** The word with {@code depth} marked as holding; a deep depth is marked in the table instead. */
    int add(SpinLock lock, int word, int depth, int shift) {
        int inWord = 32 - shift;
        if (depth < inWord) {
            return word | 1 << (shift + depth);
        }
        int id = lock.id();
        if (id >= deep.length) {
            deep = Arrays.copyOf(deep, Math.max(id + 1, deep.length * 2));
        }
        deep[id] |= 1L << (depth - inWord);
        return word;
    }

    /** The word with {@code depth} no longer holding; a deep depth is cleared in the table. */
    int remove(SpinLock lock, int word, int depth, int shift) {
        int inWord = 32 - shift;
        if (depth < inWord) {
            return word & ~(1 << (shift + depth));
        }
        int id = lock.id();
        if (id < deep.length) {
            deep[id] &= ~(1L << (depth - inWord));
        }
        return word;
    }

    /** The deepest holding depth, or -1. */
    int deepest(SpinLock lock, int word, int shift) {
        int inWord = 32 - shift;
        int id = lock.id();
        if (id < deep.length && deep[id] != 0) {
            return inWord + 63 - Long.numberOfLeadingZeros(deep[id]);
        }
        int bits = word >>> shift;
        return bits == 0 ? -1 : 31 - Integer.numberOfLeadingZeros(bits);
    }
}
