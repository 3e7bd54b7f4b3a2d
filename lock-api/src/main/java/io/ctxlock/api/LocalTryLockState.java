package io.ctxlock.api;

/**
 * The one field of a {@link LocalTryLock} that its CPU writes on every operation, between the
 * padding of {@link PerCpuPadding} before it and the padding that {@code LocalTryLock} lays out
 * after it (HotSpot places a subclass's long fields right after its superclass's fields).
 */
abstract class LocalTryLockState extends PerCpuPadding {
    /** Plain; the owning CPU's thread only; the kernel's {@code acquired}, plus the holder's depth (-1: free). */
    int ownerDepth = -1;
}
