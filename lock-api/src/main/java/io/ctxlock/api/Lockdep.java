package io.ctxlock.api;

import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lock validator of a machine, modelled on the kernel's lockdep ({@code kernel/locking/lockdep.c}),
 * plus the one check lockdep lacks and the RFC needed. Off by default
 * ({@link Machine.Builder#lockdep(boolean)}); when off, each lock operation pays one null check.
 *
 * <ul>
 * <li><b>Usage state</b> per lock class (and subclass): used in hardirq, used in softirq, taken with
 *     hardirqs enabled, taken with softirqs enabled. A class used in an interrupt context and also
 *     taken with that interrupt enabled is "inconsistent lock state", printed in the kernel's
 *     notation ({@code {HARDIRQ-ON-W} -> {IN-HARDIRQ-W}}). As in the kernel, a trylock does not
 *     mark a class used-in-interrupt, so the pcp pattern (lock with interrupts on in the task,
 *     trylock from interrupts) is clean.
 * <li><b>Recursion</b>: a lock() of a class already held along this CPU's chain of nested contexts
 *     is "possible recursive locking", unless taken with a different subclass
 *     ({@link SpinLock#lockNested}).
 * <li><b>Ordering</b>: each lock() adds dependencies from the locks its context holds (back to the
 *     first non-trylock, as {@code check_prevs_add()} does); a trylock adds none. The first
 *     dependency that closes a cycle is "possible circular locking dependency" with the chain.
 * <li><b>NMI</b>: lockdep is off inside NMI, but a lock() from NMI is always reported, since an
 *     NMI cannot wait.
 * <li><b>Beyond lockdep</b>: a trylock from NMI, hardirq or a probe on a lock whose backend cannot
 *     fail a trylock (the stateless UP spinlock, an unmarked lock under TRYLOCK_SAFE_CLASS) is
 *     reported: that trylock would walk into a section the interrupted code holds. This is the
 *     warning that would have caught the seed's bug before anything was corrupted.
 * </ul>
 *
 * Each report is written once per class or class pair to the kernel log, with the held-lock stacks
 * of the contexts involved. Reports are warnings: nothing is thrown. Thread-safe (synchronized):
 * every CPU of the machine reports into it.
 */
public final class Lockdep {
    private static final int USED_IN_HARDIRQ = 1;
    private static final int USED_IN_SOFTIRQ = 2;
    private static final int ENABLED_HARDIRQ = 4;
    private static final int ENABLED_SOFTIRQ = 8;

    private final Machine machine;
    private final Map<String, Integer> usage = new HashMap<>();
    private final Map<String, String> usageSite = new HashMap<>(); // "class#bit" -> where first seen
    private final Map<String, Map<String, String>> deps = new HashMap<>(); // from -> (to -> site)
    private final List<Deque<Held>> held = new ArrayList<>();
    private final Set<String> reported = new HashSet<>();
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
        if (trylock && !trylockCanFail && (cpu.inNmi() || cpu.inHardirq() || ctx == ContextKind.PROBE)) {
            report("trylock:" + key, "WARNING: trylock that cannot fail from " + cpu.contextName(), cpu,
                    cpu.contextName() + " on CPU#" + cpu.id() + " trylocks " + lock.name() + " (" + key + "),\n"
                            + "but this backend keeps no state for it: the trylock cannot fail, so if the code this\n"
                            + "context interrupted holds it, both are inside its critical section.");
        }
        if (cpu.inNmi()) {
            if (!trylock) {
                report("nmi:" + key, "WARNING: lock() in NMI context", cpu, cpu.contextName() + " on CPU#"
                        + cpu.id() + " takes " + lock.name() + " (" + key + ") with lock(); an NMI cannot wait for it.");
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

    private void markUsage(Cpu cpu, KernelLock lock, String key, boolean trylock) {
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

    private void mark(Cpu cpu, KernelLock lock, String key, int bit) {
        int old = usage.getOrDefault(key, 0);
        if ((old & bit) != 0) {
            return;
        }
        usage.put(key, old | bit);
        usageSite.put(key + "#" + bit, site(cpu));
        int conflict = bit == USED_IN_HARDIRQ ? ENABLED_HARDIRQ : bit == ENABLED_HARDIRQ ? USED_IN_HARDIRQ
                : bit == USED_IN_SOFTIRQ ? ENABLED_SOFTIRQ : USED_IN_SOFTIRQ;
        if ((old & conflict) != 0) {
            String from = name(conflict);
            String to = name(bit);
            report("usage:" + key + ":" + Math.min(bit, conflict), "WARNING: inconsistent lock state", cpu,
                    "inconsistent {" + from + "} -> {" + to + "} usage.\n" + cpu.contextName() + " on CPU#" + cpu.id()
                            + " takes:\n (" + key + ") " + lock.name() + "\n{" + from + "} state was registered at:\n  "
                            + usageSite.get(key + "#" + conflict));
        }
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
                report("recursion:" + key, "WARNING: possible recursive locking detected", cpu,
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
        Map<String, String> out = deps.computeIfAbsent(from, k -> new LinkedHashMap<>());
        if (out.containsKey(to) || from.equals(to)) {
            return;
        }
        List<String> back = path(to, from);
        out.put(to, site(cpu));
        if (back != null) {
            StringBuilder chain = new StringBuilder();
            for (int i = 0; i + 1 < back.size(); i++) {
                chain.append("\n -> (").append(back.get(i)).append(") -> (").append(back.get(i + 1)).append(")  at ")
                        .append(deps.get(back.get(i)).get(back.get(i + 1)));
            }
            report("cycle:" + from + "->" + to, "WARNING: possible circular locking dependency detected", cpu,
                    cpu.contextName() + " on CPU#" + cpu.id() + " is trying to acquire lock:\n (" + to
                            + ")\nbut task is already holding lock:\n (" + from + ")\n"
                            + "which lock already depends on the new lock.\nthe existing dependency chain is:" + chain
                            + "\n -> (" + from + ") -> (" + to + ")  now");
        }
    }

    /** A dependency path from {@code a} to {@code b}, or null. */
    private List<String> path(String a, String b) {
        Map<String, String> parent = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(a));
        parent.put(a, a);
        while (!queue.isEmpty()) {
            String n = queue.poll();
            if (n.equals(b)) {
                List<String> p = new ArrayList<>();
                for (String x = b; ; x = parent.get(x)) {
                    p.add(0, x);
                    if (x.equals(a)) {
                        return p;
                    }
                }
            }
            for (String next : deps.getOrDefault(n, Map.of()).keySet()) {
                if (parent.putIfAbsent(next, n) == null) {
                    queue.add(next);
                }
            }
        }
        return null;
    }

    private static String site(Cpu cpu) {
        return cpu.contextStack() + " on CPU#" + cpu.id() + " [held: " + cpu.heldLocks() + "]";
    }

    private void report(String once, String title, Cpu cpu, String body) {
        if (!reported.add(once)) {
            return;
        }
        String text = "================================\n" + title + "\n--------------------------------\n" + body
                + "\nheld locks on CPU#" + cpu.id() + ": " + cpu.heldLocks() + "\ncontexts: " + cpu.contextStack();
        reports.add(text);
        machine.kernelLog().printk(cpu, text);
    }
}
