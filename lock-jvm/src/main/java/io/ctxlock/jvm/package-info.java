/**
 * Plain-Java mode: the reentrancy-aware lock of the kernel model for code that runs callbacks on the
 * stack of a lock holder (logging appenders that log, agents' advice inside application locks,
 * handlers that re-enter their pipeline, subscribers that emit from {@code onNext}).
 *
 * <p>The kernel model's names, one to one:
 * <table>
 * <caption>kernel model and plain Java</caption>
 * <tr><th>kernel model ({@code io.ctxlock.api})</th><th>here</th></tr>
 * <tr><td>{@code Cpu}: one per CPU, passed explicitly</td><td>{@link io.ctxlock.jvm.Owner}: one per thread
 *     ({@link io.ctxlock.jvm.ThreadContexts#current()}) or per host token</td></tr>
 * <tr><td>task / softirq / hardirq / NMI contexts, {@code irq_enter()}/{@code irq_exit()}</td>
 *     <td>{@link io.ctxlock.jvm.ContextKind}, {@link io.ctxlock.jvm.Owner#enter} / {@link io.ctxlock.jvm.Scope#close}</td></tr>
 * <tr><td>{@code spin_trylock()} and {@code TryResult}</td><td>{@link io.ctxlock.jvm.ContextLock#tryLockDetailed}
 *     and {@link io.ctxlock.jvm.LockResult}</td></tr>
 * <tr><td>{@code spin_lock()}, "spinlock recursion"</td><td>{@link io.ctxlock.jvm.ContextLock#lock},
 *     {@link io.ctxlock.jvm.NestedLockException}</td></tr>
 * <tr><td>{@code current->held_locks}</td><td>an owner's held locks (in its reports)</td></tr>
 * <tr><td>{@code kfree_nolock()}'s {@code defer_free()}</td><td>{@link io.ctxlock.jvm.NestedPolicy#DEFER},
 *     {@link io.ctxlock.jvm.ContextLock#runOrDefer}</td></tr>
 * <tr><td>{@code lock_class_key}</td><td>{@link io.ctxlock.jvm.ContextLockClass}</td></tr>
 * <tr><td>lockdep</td><td>{@link io.ctxlock.jvm.LockValidator}</td></tr>
 * </table>
 *
 * <p>What differs from a CPU: an owner's contexts are nested calls on one stack, not interrupts, so
 * nothing is delivered at "interrupt points"; a nested context runs only where the code calls it.
 * The lock queues and parks as ReentrantLock does, and nothing here disables anything: there is no preempt
 * count and no irq flag, only the depth of the running context.
 */
package io.ctxlock.jvm;
