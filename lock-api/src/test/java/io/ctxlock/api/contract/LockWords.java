package io.ctxlock.api.contract;

import io.ctxlock.api.SpinLock;
import io.ctxlock.api.spi.LockWord;
import java.lang.reflect.Field;

/**
 * For backend tests: the {@link LockWord} a lock was made with, which SpinLock keeps private (users
 * never need it). Lets a test check that locks share their backend's operations, or drive a word's
 * operations by hand on the lock's own word.
 */
public final class LockWords {
    private LockWords() {}

    /** The operations of {@code lock}'s word. */
    public static LockWord of(SpinLock lock) {
        try {
            Field f = SpinLock.class.getDeclaredField("ops");
            f.setAccessible(true);
            return (LockWord) f.get(lock);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("SpinLock.ops", e);
        }
    }
}
