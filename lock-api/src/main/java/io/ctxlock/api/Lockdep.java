package io.ctxlock.api;

import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lock validator of a machine, modelled on the kernel's lockdep ({@code kernel/locking/lockdep.c}),
 * plus the one check lockdep lacks and the RFC needed. Off by default
 * ({@link Machine.Builder#lockdep(boolean)}); when off, each lock operation pays one null check.
 *
 * <ul>
 * <li><b>Usage state</b> per lock class (and subclass), as {@code mark_usage()}: used in hardirq,
 *     used in softirq (a lock(), not a trylock: the pcp pattern of lock with interrupts on in the
 *     task and trylock from interrupts is clean), taken with hardirqs or softirqs enabled (any
 *     acquisition). As {@code mark_held_locks()}, every held lock also gains the enabled state when
 *     interrupts ({@code lockdep_hardirqs_on_prepare()}, from {@code local_irq_enable()} and the
 *     unlock and restore variants that re-enable) or bottom halves ({@code lockdep_softirqs_on()},
 *     from {@code local_bh_enable()}) come back on while it is held. A class used in an interrupt
 *     and also enabled for it is "inconsistent lock state" ({@code print_usage_bug()}).
 * <li><b>Through the graph</b>: a new dependency from an irq-safe class (or one that depends on
 *     it) to an irq-unsafe one is "HARDIRQ-safe -> HARDIRQ-unsafe lock order detected"
 *     ({@code check_irq_usage()}, {@code print_bad_irq_dependency()}); a class that gains a usage
 *     conflicting with a class before or after it is "possible irq lock inversion dependency
 *     detected" ({@code check_usage_forwards()}/{@code _backwards()}); both for hardirq and softirq.
 * <li><b>Recursion</b>: a lock() of a class already held along this CPU's chain of nested contexts
 *     is "possible recursive locking", unless taken with another subclass ({@link SpinLock#lockNested}).
 * <li><b>Ordering</b>: each lock() adds dependencies from the locks its context holds, back to
 *     and including the first non-trylock, as {@code check_prevs_add()} does: a trylock adds none
 *     of its own, but a lock taken while a trylocked lock is held depends on it. The first
 *     dependency that closes a cycle is "possible circular locking dependency" with the chain.
 * <li><b>Unlock</b> of a lock the context does not hold: "bad unlock balance detected!".
 * <li><b>NMI</b>: lockdep is off inside NMI; a lock() there is checked only by
 *     {@code verify_lock_unused()}: reported ({@code {INITIAL USE} -> {IN-NMI}}) if the class was
 *     ever used outside NMI.
 * <li><b>Beyond lockdep</b>: a trylock from NMI, hardirq or a probe on a lock whose backend cannot
 *     fail a trylock (the stateless UP spinlock, an ordinary lock under ANY_CONTEXT_CLASS) is
 *     reported: that trylock would walk into a section the interrupted code holds. This is the
 *     warning that would have caught the seed's bug before anything was corrupted. It is the
 *     model's own, printed once per class and independent of {@code debug_locks}.
 * </ul>
 *
 * <p>As in the kernel, every lockdep report first calls {@code debug_locks_off()}
 * ({@link Machine#debugLocksOff()}): only the first lock-debugging report of a machine prints, and
 * the validator stops after it (also after a debug-spinlock BUG). Reports are warnings: nothing is
 * thrown. Thread-safe (synchronized): every CPU of the machine reports into it.
 */
public final class Lockdep {
    private static final int USED_IN_HARDIRQ = 1;
    private static final int USED_IN_SOFTIRQ = 2;
    private static final int ENABLED_HARDIRQ = 4;
    private static final int ENABLED_SOFTIRQ = 8;
    private static final int USED = 16;

    private final Machine machine;
    private final Map<String, Integer> usage = new HashMap<>();
    private final Map<String, String> usageSite = new HashMap<>(); // "class#bit" -> where first seen
    private final LockdepGraph graph = new LockdepGraph();
    private final List<Deque<Held>> held = new ArrayList<>();
    private final Set<String> trylockWarned = new HashSet<>();
    private final List<String> reports = new ArrayList<>();

    private record Held(KernelLock lock, String key, int depth, boolean trylock) {}

    Lockdep(Machine machine, int cpus) {
        this.machine = machine;
        for (int i = 0; i < cpus; i++) {
            held.add(new ArrayDeque<>());
        }
    }

    /** The reports so far, oldest first (each is also in the kernel log). */
    public synchronized List<String> reports() {
        return List.copyOf(reports);
    }

    synchronized void acquired(Cpu cpu, KernelLock lock, boolean trylock, int subclass, boolean trylockCanFail) {
        String key = subclass == 0 ? lock.lockClass().name() : lock.lockClass().name() + "/" + subclass;
        ContextKind ctx = cpu.context();
        if (trylock && !trylockCanFail && (cpu.inNmi() || cpu.inHardirq() || ctx == ContextKind.PROBE)
                && trylockWarned.add(key)) {
            print("WARNING: trylock that cannot fail from " + cpu.contextName(), cpu,
                    cpu.contextName() + " on CPU#" + cpu.id() + " trylocks " + lock.name() + " (" + key + "),\n"
                            + "but this backend keeps no state for it: the trylock cannot fail, so if the code this\n"
                            + "context interrupted holds it, both are inside its critical section.");
        }
        if (!machine.debugLocks()) {
            return; // lockdep is off for good after the first report
        }
        if (cpu.inNmi()) {
            if (!trylock && (usage.getOrDefault(key, 0) & USED) != 0) { // verify_lock_unused()
                report("WARNING: inconsistent lock state", cpu, "inconsistent {INITIAL USE} -> {IN-NMI} usage.\n"
                        + cpu.contextName() + " on CPU#" + cpu.id() + " takes:\n (" + key + ") " + lock.name()
                        + "\n{INITIAL USE} state was registered at:\n  " + usageSite.get(key + "#" + USED));
            }
            held.get(cpu.id()).push(new Held(lock, key, cpu.depth(), trylock));
            return; // lockdep is off in NMI
        }
        markUsage(cpu, lock, key, trylock);
        if (!trylock) {
            checkRecursion(cpu, lock, key);
            addDependencies(cpu, lock, key);
        }
        held.get(cpu.id()).push(new Held(lock, key, cpu.depth(), trylock));
    }

    synchronized void released(Cpu cpu, KernelLock lock) {
        Deque<Held> h = held.get(cpu.id());
        for (Held e : h) {
            if (e.lock() == lock && e.depth() == cpu.depth()) {
                h.removeFirstOccurrence(e);
                return;
            }
        }
    }

    /** {@code print_unlock_imbalance_bug()}: {@code cpu}'s running context unlocks a lock it does not hold. */
    synchronized void badUnlock(Cpu cpu, KernelLock lock) {
        if (cpu.inNmi()) {
            return; // lock_release(): lockdep is off in NMI
        }
        report("WARNING: bad unlock balance detected!", cpu, cpu.contextName() + " on CPU#" + cpu.id()
                + " is trying to release lock (" + lock.lockClass().name() + ") " + lock.name()
                + " at:\n  " + site(cpu) + "\nbut there are no more locks to release!");
    }

    /** {@code lockdep_hardirqs_on_prepare()}: interrupts come back on; mark what is held. */
    synchronized void hardirqsOn(Cpu cpu) {
        if (machine.debugLocks() && !cpu.inNmi()) {
            markHeld(cpu, ENABLED_HARDIRQ);
            if ((cpu.preemptCount() & PreemptCount.SOFTIRQ_MASK) == 0) {
                markHeld(cpu, ENABLED_SOFTIRQ);
            }
        }
    }

    /** {@code lockdep_softirqs_on()}: bottom halves come back on; with interrupts on, mark what is held. */
    synchronized void softirqsOn(Cpu cpu) {
        if (machine.debugLocks() && !cpu.inNmi() && !cpu.irqsDisabled()) {
            markHeld(cpu, ENABLED_SOFTIRQ);
        }
    }

    private void markHeld(Cpu cpu, int bit) {
        for (Held e : List.copyOf(held.get(cpu.id()))) {
            mark(cpu, e.lock(), e.key(), bit);
        }
    }

    private void markUsage(Cpu cpu, KernelLock lock, String key, boolean trylock) {
        mark(cpu, lock, key, USED);
        if (!trylock && cpu.inHardirq()) {
            mark(cpu, lock, key, USED_IN_HARDIRQ);
        }
        if (!trylock && cpu.inServingSoftirq()) {
            mark(cpu, lock, key, USED_IN_SOFTIRQ);
        }
        if (!cpu.irqsDisabled()) {
            mark(cpu, lock, key, ENABLED_HARDIRQ);
            if ((cpu.preemptCount() & PreemptCount.SOFTIRQ_MASK) == 0) {
                mark(cpu, lock, key, ENABLED_SOFTIRQ);
            }
        }
    }

    /** {@code mark_lock()} and {@code mark_lock_irq()}: the new usage bit, and what it conflicts with. */
    private void mark(Cpu cpu, KernelLock lock, String key, int bit) {
        int old = usage.getOrDefault(key, 0);
        if ((old & bit) != 0 || !machine.debugLocks()) {
            return;
        }
        usage.put(key, old | bit);
        usageSite.put(key + "#" + bit, site(cpu));
        if (bit == USED) {
            return;
        }
        int conflict = conflict(bit);
        if ((old & conflict) != 0) {
            String from = name(conflict);
            String to = name(bit);
            report("WARNING: inconsistent lock state", cpu,
                    "inconsistent {" + from + "} -> {" + to + "} usage.\n" + cpu.contextName() + " on CPU#" + cpu.id()
                            + " takes:\n (" + key + ") " + lock.name() + "\n{" + from + "} state was registered at:\n  "
                            + usageSite.get(key + "#" + conflict));
            return;
        }
        boolean inUse = bit == USED_IN_HARDIRQ || bit == USED_IN_SOFTIRQ;
        List<String> p = inUse ? graph.forwards(key, k -> has(k, conflict)) : graph.backwards(key, k -> has(k, conflict));
        if (p != null) {
            String other = inUse ? p.get(p.size() - 1) : p.get(0);
            String irq = irqClass(bit);
            report("WARNING: possible irq lock inversion dependency detected", cpu, cpu.contextName() + " on CPU#"
                    + cpu.id() + " just changed the state of lock:\n (" + key + ") " + lock.name() + " to {" + name(bit)
                    + "}\n" + (inUse ? "but this lock took another, " + irq + "-unsafe lock in the past:\n ("
                            : "but this lock was taken by another, " + irq + "-safe lock in the past:\n (")
                    + other + ")\n\nand interrupts could create inverse lock ordering between them.\n"
                    + "the dependency chain:" + chain(p) + "\n{" + name(conflict) + "} state of (" + other
                    + ") was registered at:\n  " + usageSite.get(other + "#" + conflict));
        }
    }

    private boolean has(String key, int bit) {
        return (usage.getOrDefault(key, 0) & bit) != 0;
    }

    private static int conflict(int bit) {
        return bit == USED_IN_HARDIRQ ? ENABLED_HARDIRQ : bit == ENABLED_HARDIRQ ? USED_IN_HARDIRQ
                : bit == USED_IN_SOFTIRQ ? ENABLED_SOFTIRQ : USED_IN_SOFTIRQ;
    }

    private static String irqClass(int bit) {
        return bit == USED_IN_HARDIRQ || bit == ENABLED_HARDIRQ ? "HARDIRQ" : "SOFTIRQ";
    }

    private static String name(int bit) {
        switch (bit) {
            case USED_IN_HARDIRQ:
                return "IN-HARDIRQ-W";
            case USED_IN_SOFTIRQ:
                return "IN-SOFTIRQ-W";
            case ENABLED_HARDIRQ:
                return "HARDIRQ-ON-W";
            default:
                return "SOFTIRQ-ON-W";
        }
    }

    private void checkRecursion(Cpu cpu, KernelLock lock, String key) {
        for (Held e : held.get(cpu.id())) {
            if (e.key().equals(key)) {
                report("WARNING: possible recursive locking detected", cpu,
                        cpu.contextName() + " on CPU#" + cpu.id() + " is trying to acquire lock:\n (" + key + ") "
                                + lock.name() + "\nbut task is already holding lock:\n (" + key + ") "
                                + e.lock().name() + " (" + cpu.frameName(e.depth()) + ")\n"
                                + "May be due to missing lock nesting notation (spin_lock_nested).");
                return;
            }
        }
    }

    private void addDependencies(Cpu cpu, KernelLock lock, String key) {
        for (Held prev : held.get(cpu.id())) {
            if (prev.depth() != cpu.depth()) {
                break; // end of this context's part of the stack (lockdep's irq_context boundary)
            }
            addEdge(cpu, prev.key(), key);
            if (!prev.trylock()) {
                break;
            }
        }
    }

    private void addEdge(Cpu cpu, String from, String to) {
        if (graph.has(from, to) || from.equals(to) || !machine.debugLocks()) {
            return;
        }
        List<String> back = graph.path(to, from);
        graph.add(from, to, site(cpu));
        if (back != null) {
            report("WARNING: possible circular locking dependency detected", cpu,
                    cpu.contextName() + " on CPU#" + cpu.id() + " is trying to acquire lock:\n (" + to
                            + ")\nbut task is already holding lock:\n (" + from + ")\n"
                            + "which lock already depends on the new lock.\nthe existing dependency chain is:" + chain(back)
                            + "\n -> (" + from + ") -> (" + to + ")  now");
            return;
        }
        checkIrqUsage(cpu, from, to, USED_IN_HARDIRQ);
        checkIrqUsage(cpu, from, to, USED_IN_SOFTIRQ);
    }

    /** {@code check_irq_usage()}: an irq-safe class before {@code from}, an irq-unsafe one after {@code to}. */
    private void checkIrqUsage(Cpu cpu, String from, String to, int inIrq) {
        List<String> safe = graph.backwards(from, k -> has(k, inIrq));
        if (safe == null) {
            return;
        }
        int enabled = conflict(inIrq);
        List<String> unsafe = graph.forwards(to, k -> has(k, enabled));
        if (unsafe == null || !machine.debugLocks()) {
            return;
        }
        String irq = irqClass(inIrq);
        String s = safe.get(0);
        String u = unsafe.get(unsafe.size() - 1);
        report("WARNING: " + irq + "-safe -> " + irq + "-unsafe lock order detected", cpu, cpu.contextName()
                + " on CPU#" + cpu.id() + " is trying to acquire:\n (" + to + ")\n\nand this task is already holding:\n ("
                + from + ")\nwhich would create a new lock dependency:\n (" + from + ") -> (" + to + ")\n\n"
                + "but this new dependency connects a " + irq + "-irq-safe lock:\n (" + s + ")\n"
                + "... which became " + irq + "-irq-safe at:\n  " + usageSite.get(s + "#" + inIrq) + "\n"
                + "to a " + irq + "-irq-unsafe lock:\n (" + u + ")\n... which became " + irq + "-irq-unsafe at:\n  "
                + usageSite.get(u + "#" + enabled));
    }

    private String chain(List<String> p) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i + 1 < p.size(); i++) {
            sb.append("\n -> (").append(p.get(i)).append(") -> (").append(p.get(i + 1)).append(")  at ")
                    .append(graph.site(p.get(i), p.get(i + 1)));
        }
        return sb.toString();
    }

    private static String site(Cpu cpu) {
        return cpu.contextStack() + " on CPU#" + cpu.id() + " [held: " + cpu.heldLocks() + "]";
    }

    /** A lockdep report: printed only if {@code debug_locks_off()} says lock debugging was still on. */
    private void report(String title, Cpu cpu, String body) {
        if (machine.debugLocksOff()) {
            print(title, cpu, body);
        }
    }

    private void print(String title, Cpu cpu, String body) {
        String text = "================================\n" + title + "\n--------------------------------\n" + body
                + "\nheld locks on CPU#" + cpu.id() + ": " + cpu.heldLocks() + "\ncontexts: " + cpu.contextStack();
        reports.add(text);
        machine.kernelLog().printk(cpu, text);
    }
}
