package io.ctxlock.api;

import io.ctxlock.api.spi.OwnerTag;

/**
 * The fields of a {@link Cpu} that its own thread writes on its lock and context paths, or reads
 * there next to what it writes; 128 bytes after {@link CpuShared}'s fields, which other threads read,
 * and before the padding {@code Cpu} lays out after them.
 */
abstract class CpuFields extends CpuHotPad {
    int preemptCount; //         plain; bound thread only; main code writes it only through Cpu
    boolean irqsEnabled = true; // plain; bound thread only; the CPU's interrupt flag; as preemptCount
    int probeDepth; //           plain; bound thread only
    int depth; //                plain; bound thread only; index of the running frame, 0 = task
    int ownerTag; //             plain; bound thread only; OwnerTag.of(id, depth), cached for the lock paths
    long pointSeq; //            plain; bound thread only
    long probesMissed; //        plain; bound thread only; probe hits skipped as recursion
    PointObserver observer; //   plain; set by Machine before the CPU runs
    Tracer tracer; //            plain; set by Machine before the CPU runs
    Lockdep lockdep; //          plain; set by Machine at construction; null when the validator is off
    TryResult lastTryFailure; // plain; bound thread only; written on trylock failure paths only

    final ContextFrames frames = new ContextFrames();
    final HeldLocks held = new HeldLocks();
    final IrqFlags irqFlags = new IrqFlags();

    CpuFields(Machine machine, int id, int mailboxCapacity) {
        super(machine, id, mailboxCapacity);
        this.ownerTag = OwnerTag.of(id, 0);
    }
}

/** 128 bytes between what other threads read of a CPU and what its own thread writes. */
abstract class CpuHotPad extends CpuShared {
    byte h000, h001, h002, h003, h004, h005, h006, h007, h008, h009, h010, h011, h012, h013, h014, h015;
    byte h016, h017, h018, h019, h020, h021, h022, h023, h024, h025, h026, h027, h028, h029, h030, h031;
    byte h032, h033, h034, h035, h036, h037, h038, h039, h040, h041, h042, h043, h044, h045, h046, h047;
    byte h048, h049, h050, h051, h052, h053, h054, h055, h056, h057, h058, h059, h060, h061, h062, h063;
    byte h064, h065, h066, h067, h068, h069, h070, h071, h072, h073, h074, h075, h076, h077, h078, h079;
    byte h080, h081, h082, h083, h084, h085, h086, h087, h088, h089, h090, h091, h092, h093, h094, h095;
    byte h096, h097, h098, h099, h100, h101, h102, h103, h104, h105, h106, h107, h108, h109, h110, h111;
    byte h112, h113, h114, h115, h116, h117, h118, h119, h120, h121, h122, h123, h124, h125, h126, h127;

    CpuHotPad(Machine machine, int id, int mailboxCapacity) {
        super(machine, id, mailboxCapacity);
    }
}

/**
 * What other threads read of a {@link Cpu} on their own paths: a raising thread its interrupt
 * controller, anyone its machine and id. Final, after the leading padding and the thread binding.
 * (Reports about another CPU, a lockup or a CSD timeout, also read its context stack and held locks,
 * racily, on their error paths; those stay with the CPU's own fields.)
 */
abstract class CpuShared extends CpuBinding {
    final Machine machine;
    final int id;
    final InterruptController interrupts;

    CpuShared(Machine machine, int id, int mailboxCapacity) {
        this.machine = machine;
        this.id = id;
        this.interrupts = new InterruptController(mailboxCapacity);
    }
}
