package io.ctxlock.api;

/**
 * The interrupt-flag tokens a CPU has handed out and not yet taken back: what
 * {@code local_irq_save()} and {@code spin_lock_irqsave()} return as {@code flags}.
 *
 * <p>A token is a long: bit 0 is the saved interrupt flag, the rest a per-CPU serial, so a
 * restore can check that it gets flags that this context's matching save returned (the kernel
 * cannot; its flags are a bare copy of EFLAGS). Tokens are positive, so {@link SpinLock#TRYLOCK_FAILED}
 * (-1) is never one. Bound thread only; plain arrays sized once and padded (see {@link PerCpuPadding}:
 * slot {@code i} is element {@code pad + i}); nothing allocated.
 */
final class IrqFlags extends IrqFlagsFields {
    static final int MAX_SAVED = 64;
    private static final int P = PAD_4;
    private static final int PL = PAD_8;

    // 128 bytes after the fields (in IrqFlagsFields), see PerCpuPadding
    byte q000, q001, q002, q003, q004, q005, q006, q007, q008, q009, q010, q011, q012, q013, q014, q015;
    byte q016, q017, q018, q019, q020, q021, q022, q023, q024, q025, q026, q027, q028, q029, q030, q031;
    byte q032, q033, q034, q035, q036, q037, q038, q039, q040, q041, q042, q043, q044, q045, q046, q047;
    byte q048, q049, q050, q051, q052, q053, q054, q055, q056, q057, q058, q059, q060, q061, q062, q063;
    byte q064, q065, q066, q067, q068, q069, q070, q071, q072, q073, q074, q075, q076, q077, q078, q079;
    byte q080, q081, q082, q083, q084, q085, q086, q087, q088, q089, q090, q091, q092, q093, q094, q095;
    byte q096, q097, q098, q099, q100, q101, q102, q103, q104, q105, q106, q107, q108, q109, q110, q111;
    byte q112, q113, q114, q115, q116, q117, q118, q119, q120, q121, q122, q123, q124, q125, q126, q127;

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
        tokens[PL + top] = token;
        owners[P + top] = owner;
        depths[P + top] = cpu.depth;
        top++;
        cpu.irqsOff();
        return token;
    }

    /** The slot of {@code flags} as saved by {@code owner} in the running context; throws if none. */
    int find(Cpu cpu, KernelLock owner, int ownerId, long flags) {
        for (int i = top - 1; i >= 0; i--) {
            if (tokens[PL + i] == flags && owners[P + i] == ownerId && depths[P + i] == cpu.depth) {
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
        boolean enable = (tokens[PL + slot] & 1L) != 0;
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
        boolean enable = (tokens[PL + slot] & 1L) != 0;
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
            if (tokens[PL + i] != 0 && depths[P + i] == depth) {
                clear(i);
            }
        }
    }

    private void clear(int slot) {
        tokens[PL + slot] = 0;
        owners[P + slot] = 0;
        while (top > 0 && tokens[PL + top - 1] == 0) {
            top--;
        }
    }
}

/** The fields of {@link IrqFlags}, after the padding before them. */
abstract class IrqFlagsFields extends PerCpuPadding {
    final long[] tokens = new long[padded(IrqFlags.MAX_SAVED, PAD_8)];
    final int[] owners = new int[padded(IrqFlags.MAX_SAVED, PAD_4)]; // lock ids; 0 for local_irq_save
    final int[] depths = new int[padded(IrqFlags.MAX_SAVED, PAD_4)];
    int top; //     plain; bound thread only
    long serial; // plain; bound thread only
}
