package io.ctxlock.api;

import io.ctxlock.api.spi.OwnerTag;
import io.ctxlock.api.spi.Splat;

/**
 * Builds a misuse exception: formats the splat, writes it to the kernel log, returns the
 * exception for the caller to throw. Error paths only.
 */
final class Misuse {
    @FunctionalInterface
    interface Kind<E extends LockMisuseException> {
        E make(String splat, String lockName, int cpu, String context);
    }

    private Misuse() {}

    static <E extends LockMisuseException> E lock(
            Kind<E> kind, Cpu cpu, KernelLock lock, int ownerTag, String what) {
        String splat = Splat.spinlock(cpu, lock, ownerTag, what);
        cpu.machine().kernelLog().printk(cpu, splat);
        return kind.make(splat, lock.name(), cpu.id(), cpu.contextName());
    }

    static <E extends LockMisuseException> E cpu(Kind<E> kind, Cpu cpu, String what) {
        String splat = Splat.cpu(cpu, what);
        cpu.machine().kernelLog().printk(cpu, splat);
        return kind.make(splat, "-", cpu.id(), cpu.contextName());
    }

    /** Why {@code cpu} may not unlock a lock whose word does not list it as holder. */
    static LockMisuseException unlock(Cpu cpu, KernelLock lock, int ownerTag) {
        Lockdep v = cpu.lockdep;
        if (v != null) {
            v.badUnlock(cpu, lock); // what lockdep prints before the model throws
        }
        if (ownerTag == OwnerTag.NO_OWNER) {
            return lock(LockMisuseException.NotLocked::new, cpu, lock, ownerTag, "already unlocked");
        }
        if (OwnerTag.cpu(ownerTag) != cpu.id()) {
            return lock(LockMisuseException.WrongCpu::new, cpu, lock, ownerTag, "wrong CPU");
        }
        return lock(LockMisuseException.WrongContext::new, cpu, lock, ownerTag, "wrong owner (context)");
    }
}
