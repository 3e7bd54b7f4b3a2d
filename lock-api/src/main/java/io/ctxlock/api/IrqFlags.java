package io.ctxlock.api;

/**
 * The interrupt-flag tokens a CPU has handed out and not yet taken back: what
 * {@code local_irq_save()} and {@code spin_lock_irqsave()} return as {@code flags}.
 *
 * <p>A token is a long: bit 0 is the saved interrupt flag, the rest a per-CPU serial, so a
 * restore can check that it gets flags that this context's matching save returned (the kernel
 * cannot; its flags are a bare copy of EFLAGS). Tokens are positive, so {@link SpinLock#TRYLOCK_FAILED}
 * (-1) is never one. Bound thread only; plain arrays sized once; nothing allocated.
 */
final class IrqFlags {
    static final int MAX_SAVED = 64;

    private final long[] tokens = new long[MAX_SAVED];
    private final int[] owners = new int[MAX_SAVED]; // lock ids; 0 for local_irq_save
    private final int[] depths = new int[MAX_SAVED];
    private int top;
    private long serial;

    /** Throws, changing nothing, if another token could not be recorded. */
    void checkRoom(Cpu cpu) {
        if (top == MAX_SAVED) {
            throw Misuse.cpu(LockMisuseException.NestingOverflow::new, cpu, "too many nested irqsave sections");
        }
    }

    /** Saves the flag, disables interrupts, returns the token. {@code owner}: a lock id, 0 for local_irq_save. */
    long save(Cpu cpu, int owner) {
        checkRoom(cpu);
        long token = (++serial << 1) | (cpu.irqsEnabled ? 1L : 0L);
        tokens[top] = token;
        owners[top] = owner;
        depths[top] = cpu.depth;
        top++;
        cpu.irqsOff();
        return token;
    }

    /** The slot of {@code flags} as saved by {@code owner} in the running context; throws if none. */
    int find(Cpu cpu, KernelLock owner, int ownerId, long flags) {
        for (int i = top - 1; i >= 0; i--) {
            if (tokens[i] == flags && owners[i] == ownerId && depths[i] == cpu.depth) {
                return i;
            }
        }
        String what = "irqrestore with flags 0x" + Long.toHexString(flags) + " not saved by the matching "
                + (owner == null ? "local_irq_save" : "spin_lock_irqsave");
        throw owner == null
                ? Misuse.cpu(LockMisuseException.BadIrqFlags::new, cpu, what)
                : Misuse.lock(LockMisuseException.BadIrqFlags::new, cpu, owner, cpu.ownerTag, what);
    }

    /** Restores the flag saved in {@code slot} and passes the interrupt point {@code label}. */
    void restore(Cpu cpu, int slot, String label) {
        boolean enable = (tokens[slot] & 1L) != 0;
        clear(slot);
        if (enable) {
            cpu.irqsOn();
        } else {
            cpu.irqsOff();
        }
        cpu.point(label);
    }

    /** Restores without an interrupt point: undoing a save whose operation then failed. */
    void undo(Cpu cpu, int slot) {
        boolean enable = (tokens[slot] & 1L) != 0;
        clear(slot);
        cpu.restoreState(cpu.preemptCount, enable);
    }

    /** The slot of the most recent save. */
    int last() {
        return top - 1;
    }

    /** Forgets tokens a context took and never restored, when it ends (the flag is restored anyway). */
    void dropAt(int depth) {
        for (int i = top - 1; i >= 0; i--) {
            if (tokens[i] != 0 && depths[i] == depth) {
                clear(i);
            }
        }
    }

    private void clear(int slot) {
        tokens[slot] = 0;
        owners[slot] = 0;
        while (top > 0 && tokens[top - 1] == 0) {
            top--;
        }
    }
}
