/**
 * ctxlock's execution-context model and lock API.
 *
 * <h2>Layers</h2>
 * <pre>
 *   users, allocator-model       SpinLock, LocalTryLock, Cpu, Machine     (this package)
 *        |                          |  all context bookkeeping, misuse checks, guards
 *        v                          v
 *   io.ctxlock.api.spi           LockWord: take / try / release / is-locked / owner on the
 *        |                          lock's own int word (the backend SPI: any backend module
 *        |                          implements it, one shared instance per machine or class)
 *        v
 *   lock-up, lock-smp            UpBackend (STATELESS, DEBUG, STATEFUL, SHARED_WORD,
 *                                ANY_CONTEXT_CLASS), SmpBackend
 * </pre>
 * This mirrors the kernel's {@code spin_*} -&gt; {@code _raw_spin_*} -&gt; {@code arch_spin_*}:
 * {@link io.ctxlock.api.SpinLock} is {@code spin_*} plus {@code _raw_spin_*} (preemption, flags,
 * lockdep's held_locks), a {@link io.ctxlock.api.spi.LockWord} is the {@code arch_spin_*} operations
 * on the {@code arch_spinlock_t} that each SpinLock embeds (one int, as the kernel's).
 *
 * <h2>Kernel names and their Java spelling</h2>
 * <table>
 * <caption>Kernel to ctxlock</caption>
 * <tr><th>kernel</th><th>ctxlock</th></tr>
 * <tr><td>{@code spin_lock / spin_trylock / spin_unlock}</td><td>{@code SpinLock.lock / tryLock (tryLockDetailed) / unlock}</td></tr>
 * <tr><td>{@code spin_lock_irq / spin_unlock_irq}</td><td>{@code SpinLock.lockIrq / unlockIrq}</td></tr>
 * <tr><td>{@code spin_lock_irqsave / spin_trylock_irqsave / spin_unlock_irqrestore}</td><td>{@code SpinLock.lockIrqSave / tryLockIrqSave / unlockIrqRestore}</td></tr>
 * <tr><td>{@code spin_lock_bh / spin_trylock_bh / spin_unlock_bh}</td><td>{@code SpinLock.lockBh / tryLockBh / unlockBh}</td></tr>
 * <tr><td>{@code spin_is_locked}</td><td>{@code SpinLock.isLocked}</td></tr>
 * <tr><td>{@code lockdep_is_held}</td><td>{@code SpinLock.isHeldByCurrentContext}</td></tr>
 * <tr><td>{@code guard(spinlock[_irq|_irqsave|_bh])}</td><td>{@code SpinLock.guard / guardIrq / guardIrqSave / guardBh}</td></tr>
 * <tr><td>{@code scoped_cond_guard(spinlock_try[_irqsave])}</td><td>{@code SpinLock.tryGuard / tryGuardIrqSave}</td></tr>
 * <tr><td>{@code DEFINE_SPINLOCK / spin_lock_init}</td><td>{@code Machine.newSpinLock}</td></tr>
 * <tr><td>{@code local_trylock_t}, {@code DEFINE_PER_CPU}</td><td>{@code LocalTryLock}, {@code Machine.newLocalTryLock}</td></tr>
 * <tr><td>{@code this_cpu_ptr / per_cpu_ptr}</td><td>{@code LocalTryLock.PerCpu.thisCpu / of}</td></tr>
 * <tr><td>{@code local_lock / local_trylock / local_unlock}</td><td>{@code LocalTryLock.lock / tryLock / unlock}</td></tr>
 * <tr><td>{@code local_lock_irqsave / local_trylock_irqsave / local_unlock_irqrestore}</td><td>{@code LocalTryLock.lockIrqSave / tryLockIrqSave / unlockIrqRestore}</td></tr>
 * <tr><td>{@code struct lock_class_key}</td><td>{@code LockClass}</td></tr>
 * <tr><td>{@code preempt_count()}, {@code preempt_disable / preempt_enable}</td><td>{@code Cpu.preemptCount}, {@code Cpu.preemptDisable / preemptEnable}</td></tr>
 * <tr><td>{@code in_nmi / in_hardirq / in_serving_softirq / in_interrupt / in_task}</td><td>{@code Cpu.inNmi / inHardirq / inServingSoftirq / inInterrupt / inTask}</td></tr>
 * <tr><td>{@code irqs_disabled / preemptible}</td><td>{@code Cpu.irqsDisabled / preemptible}</td></tr>
 * <tr><td>{@code local_irq_disable / local_irq_enable}</td><td>{@code Cpu.localIrqDisable / localIrqEnable}</td></tr>
 * <tr><td>{@code local_irq_save / local_irq_restore}</td><td>{@code Cpu.localIrqSave / localIrqRestore}</td></tr>
 * <tr><td>{@code local_bh_disable / local_bh_enable}</td><td>{@code Cpu.localBhDisable / localBhEnable}</td></tr>
 * <tr><td>{@code nmi_enter / nmi_exit}, {@code irq_enter / irq_exit}, {@code __do_softirq}, kprobe hit</td><td>{@code Cpu.enter / exit} with {@code ContextKind.NMI / HARDIRQ / SOFTIRQ / PROBE}; {@code Cpu.run}</td></tr>
 * <tr><td>raising an IRQ line, {@code raise_softirq}, an NMI, arming a kprobe</td><td>{@code Cpu.raise(Interrupt)}</td></tr>
 * <tr><td>{@code dmesg}, {@code printk}</td><td>{@code Machine.kernelLog()}, {@code KernelLog.printk}</td></tr>
 * <tr><td>{@code spin_dump} (spinlock_debug.c)</td><td>{@code io.ctxlock.api.spi.Splat.spinDump}</td></tr>
 * <tr><td>{@code debug_locks}, {@code debug_locks_off()}</td><td>{@code Machine.debugLocks / debugLocksOff}</td></tr>
 * <tr><td>{@code WARN_ON_ONCE}</td><td>{@code KernelLog.warnOnce}</td></tr>
 * <tr><td>{@code arch_spinlock_t}, {@code arch_spin_trylock / arch_spin_unlock / arch_spin_is_locked}</td><td>{@code LockWord.tryAcquire / release / isLocked}</td></tr>
 * <tr><td>{@code MAX_LOCK_DEPTH}</td><td>48, the held-lock stack of each CPU</td></tr>
 * <tr><td>the watchdog's soft/hard lockup report ({@code kernel/watchdog.c})</td><td>{@code LockupException}; on a stepped machine decided by {@code Stepper} from who spins on whose lock</td></tr>
 * <tr><td>(none: the CPUs' concurrency, the hardware's timing)</td><td>{@code Machine.Builder.stepped}, {@code Stepper}, {@code Program}, {@code Schedule}, {@code CpuState}</td></tr>
 * </table>
 *
 * <h2>What the model leaves out</h2>
 * The scheduler (preempt_enable never reschedules; there is one task per CPU), ksoftirqd (a
 * raised softirq runs at {@code irq_exit()}, at {@code local_bh_enable()}, or at the next point
 * outside interrupt context with interrupts on), the coalescing of a pending IRQ line raised twice
 * (each raise is delivered once; so is each NMI latched behind a running one, where x86 keeps one),
 * the x86 NMI stack switching, and the rtmutex of PREEMPT_RT ({@code spin_trylock} has no context
 * policy, as in the kernel; the refusals of RT live in {@code LocalTryLock} and the allocator's
 * {@code can_spin_trylock()}; see {@link io.ctxlock.api.SpinLock} for the rest). A stepped machine
 * ({@link io.ctxlock.api.Stepper}) runs its CPUs one step at a time: what happens between two
 * steps of different CPUs is sequentially consistent, so it explores interleavings, not the
 * weak-memory outcomes that the jcstress tests cover.
 *
 * <h2>Hardware nesting</h2>
 * Only what the hardware allows nests: no NMI inside an NMI (latched, runs when the first
 * returns), no hardirq inside a hardirq, no softirq inside interrupt context, no probe inside
 * itself (skipped and counted, {@link io.ctxlock.api.Cpu#probesMissed()}). Every
 * {@code preempt_count} field refuses to overflow ({@link io.ctxlock.api.PreemptCount#overflow}).
 */
package io.ctxlock.api;
