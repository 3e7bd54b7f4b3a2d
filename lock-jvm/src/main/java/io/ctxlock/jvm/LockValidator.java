package io.ctxlock.jvm;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The lockdep-style checks of the kernel model, on lock classes of {@link ContextLock}: off by
 * default (a class without a validator pays one null check per acquisition), on for the classes
 * created with one. Classes are told apart by name. Three reports, each printed once (per class,
 * or per pair of classes for an order), with the kernel's title:
 * <ul>
 * <li>"possible recursive locking detected": {@code lock()} of a lock its owner holds (it also
 *     throws), or of a second lock of a class the owner holds ({@code check_deadlock()});</li>
 * <li>"possible circular locking dependency detected": A taken while B is held after B was taken
 *     while A was held, by any owners ({@code check_prevs_add()}; a trylock adds no dependency, as
 *     in {@code validate_chain()}, but a timed {@code tryLock} can wait and is checked as a
 *     {@code lock()}, before it waits, so its dependencies stay recorded even if it then fails);</li>
 * <li>"inconsistent lock state": a {@link NestedPolicy#THROW} class taken both inside a nested
 *     context and in an owner's own code, the {@code {IN-HARDIRQ-W} -> {HARDIRQ-ON-W}} pair of
 *     {@code mark_lock()}: the callback may one day run while its caller holds the lock. DROP and
 *     DEFER classes are exempt, since they exist to handle exactly that.</li>
 * </ul>
 * Simplified: dependencies join classes across contexts of one owner (a callback on a holder's
 * stack really does hold the outer lock), where the kernel separates irq contexts; no lock
 * subclasses. Thread-safe (synchronized: a diagnostic, not a fast path); the sink is called outside
 * the validator's monitor, on the thread whose acquisition produced the report.
 */
public final class LockValidator {
    private final Consumer<String> sink;
    private final List<String> reports = new ArrayList<>();
    private final Set<String> reported = new HashSet<>();
    private final Map<String, Set<String>> after = new HashMap<>();
    private final Map<String, String> inContext = new HashMap<>();
    private final Map<String, ContextKind> inKind = new HashMap<>();
    private final Map<String, String> outside = new HashMap<>();

    /** A validator that keeps its reports ({@link #reports()}) and prints nothing. */
    public LockValidator() {
        this(r -> { });
    }

    /** A validator that also hands each report to {@code sink} (a logger, {@code System.err::println}). */
    public LockValidator(Consumer<String> sink) {
        this.sink = java.util.Objects.requireNonNull(sink, "sink");
    }

    /** The reports so far, oldest first. */
    public synchronized List<String> reports() {
        return List.copyOf(reports);
    }

    void recursion(ContextLock lock, Owner owner, int slot) {
        List<String> fresh;
        synchronized (this) {
            int before = reports.size();
            recursionReport(lock, owner, slot);
            fresh = since(before);
        }
        fresh.forEach(sink);
    }

    /** Called before a blocking take of {@code lock}, and after a successful trylock of it. */
    void acquired(ContextLock lock, Owner owner, boolean trylock) {
        List<String> fresh;
        synchronized (this) {
            int before = reports.size();
            check(lock, owner, trylock);
            fresh = since(before);
        }
        fresh.forEach(sink); // outside the monitor: a sink may log through a validated lock
    }

    private List<String> since(int before) {
        return before == reports.size() ? List.of() : List.copyOf(reports.subList(before, reports.size()));
    }

    private void recursionReport(ContextLock lock, Owner owner, int slot) {
        report("recursion:" + lock.name(), "WARNING: possible recursive locking detected", owner,
                owner.contextName() + " is trying to acquire lock:\n (" + lock.name() + ")\nbut "
                        + owner.frameName(owner.held.depth(slot)) + " of the same owner is already holding it");
    }

    private void check(ContextLock lock, Owner owner, boolean trylock) {
        String key = lock.name();
        HeldLocks held = owner.held;
        for (int i = 0; i < held.count(); i++) {
            ContextLock prev = held.lock(i);
            if (prev == lock) {
                continue; // a trylock's own entry, already pushed
            }
            String from = prev.name();
            if (from.equals(key)) {
                report("recursion:" + key, "WARNING: possible recursive locking detected", owner, owner.contextName()
                        + " is trying to acquire lock:\n (" + key + ")\nbut the owner is already holding lock:\n ("
                        + from + ") taken in " + owner.frameName(held.depth(i)));
            } else if (!trylock) {
                addEdge(owner, from, key);
            }
        }
        if (lock.lockClass().policy() == NestedPolicy.THROW) {
            markUsage(owner, key);
        }
    }

    private void addEdge(Owner owner, String from, String to) {
        Set<String> next = after.computeIfAbsent(from, k -> new LinkedHashSet<>());
        if (next.contains(to)) {
            return;
        }
        List<String> back = path(to, from);
        next.add(to);
        if (back != null) {
            report("cycle:" + from + ">" + to, "WARNING: possible circular locking dependency detected", owner,
                    owner.contextName() + " is trying to acquire lock:\n (" + to + ")\nbut the owner is already "
                            + "holding lock:\n (" + from + ")\nwhich lock already depends on the new lock.\n"
                            + "the existing dependency chain is:\n (" + String.join(") -> (", back) + ")");
        }
    }

    /** A path of dependencies from {@code a} to {@code b}, or null (breadth first: the shortest). */
    private List<String> path(String a, String b) {
        Map<String, String> parent = new HashMap<>();
        Deque<String> todo = new ArrayDeque<>(List.of(a));
        parent.put(a, a);
        while (!todo.isEmpty()) {
            String k = todo.poll();
            if (k.equals(b)) {
                List<String> p = new ArrayList<>();
                for (String x = b; ; x = parent.get(x)) {
                    p.add(0, x);
                    if (x.equals(a)) {
                        return p;
                    }
                }
            }
            for (String n : after.getOrDefault(k, Set.of())) {
                if (parent.putIfAbsent(n, k) == null) {
                    todo.add(n);
                }
            }
        }
        return null;
    }

    private void markUsage(Owner owner, String key) {
        if (owner.depth() > 0) {
            inContext.putIfAbsent(key, owner.contextStack());
            inKind.putIfAbsent(key, owner.context());
        } else {
            outside.putIfAbsent(key, owner.contextStack());
        }
        String in = inContext.get(key);
        String out = outside.get(key);
        if (in != null && out != null) {
            String kind = inKind.get(key).name();
            report("usage:" + key, "WARNING: inconsistent lock state", owner, "inconsistent {OUTSIDE-CONTEXT} <-> {IN-"
                    + kind + "} usage of (" + key + ").\n{IN-" + kind + "} state was registered at:\n  " + in
                    + "\n{OUTSIDE-CONTEXT} state was registered at:\n  " + out
                    + "\nthe nested context can run while its caller holds the lock: use NestedPolicy.DEFER or DROP,"
                    + " or do not take it in the nested context");
        }
    }

    private void report(String id, String title, Owner owner, String body) {
        if (!reported.add(id)) {
            return;
        }
        String r = title + "\n" + body + "\n owner: " + owner.name() + ", contexts: " + owner.contextStack()
                + "\n held locks: " + owner.held;
        reports.add(r); // handed to the sink by the caller, outside the monitor
    }
}
