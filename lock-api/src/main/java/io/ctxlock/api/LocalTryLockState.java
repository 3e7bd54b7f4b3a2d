package io.ctxlock.api;

/**
 * The fields of a {@link LocalTryLock}, after the padding of {@link PerCpuPadding} before them and
 * before the padding that {@code LocalTryLock} lays out after them: {@code ownerDepth}, which its
 * CPU writes on every operation, and what the lock paths read next to it.
 */
abstract class LocalTryLockState extends PerCpuPadding {
    /** Plain; the owning CPU's thread only; the kernel's {@code acquired}, plus the holder's depth (-1: free). */
    int ownerDepth = -1;
    final String name;
    final LockClass lockClass;
    final int cpuId;
    final Machine machine; // the machine that made it; only its CPUs may use it
    final int id; //         machine-wide id, what the held-lock stack and the flags stack record

    LocalTryLockState(Machine machine, String name, LockClass lockClass, int cpuId) {
        this.machine = machine;
        this.name = name;
        this.lockClass = lockClass;
        this.cpuId = cpuId;
        this.id = machine.register((LocalTryLock) this, name, lockClass);
    }
}
