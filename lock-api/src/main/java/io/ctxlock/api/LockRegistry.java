package io.ctxlock.api;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A machine's locks by id, with the name and class each was made with: the model's table of
 * lockdep's {@code lockdep_map}s, and where a {@link SpinLock} keeps its name and class so that the
 * lock object itself is only its word, its id and its backend (24 bytes). Three reference slots per
 * lock (12 bytes with compressed oops), in parallel arrays: no object per entry.
 *
 * <p>Adds are serialised (lock creation, any thread); lookups from any thread are lock-free: the
 * lock's slot is written last with release and read first with acquire, and a grown table is
 * published by a volatile write. A thread that got the lock through a happens-before edge (any safe
 * publication: a start, a join, a volatile or a lock) sees its name and class; one that got it
 * through a data race may find no entry and gets an IllegalArgumentException, never a wrong name.
 */
final class LockRegistry {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(KernelLock[].class);

    /** The arrays of one capacity; replaced whole when full. */
    private static final class Table {
        final KernelLock[] locks;
        final String[] names;
        final LockClass[] classes;

        Table(int capacity, Table from) {
            locks = from == null ? new KernelLock[capacity] : Arrays.copyOf(from.locks, capacity);
            names = from == null ? new String[capacity] : Arrays.copyOf(from.names, capacity);
            classes = from == null ? new LockClass[capacity] : Arrays.copyOf(from.classes, capacity);
        }
    }

    private volatile Table table = new Table(16, null);
    private int size; // guarded by this

    /** Registers a lock; returns its id (from 1). */
    synchronized int add(KernelLock lock, String name, LockClass lockClass) {
        Table t = table;
        if (size == t.locks.length) {
            t = new Table(size * 2, t);
        }
        t.names[size] = name;
        t.classes[size] = lockClass;
        SLOT.setRelease(t.locks, size, lock);
        table = t; // a grown copy is published by this volatile write, with the new slot already in it
        return ++size;
    }

    KernelLock lock(int id) {
        return checked(table, id).locks[id - 1];
    }

    String name(int id) {
        return checked(table, id).names[id - 1];
    }

    LockClass lockClass(int id) {
        return checked(table, id).classes[id - 1];
    }

    /** The table, once {@code id}'s slot is seen published; throws for an id never handed out. */
    private static Table checked(Table t, int id) {
        if (id < 1 || id > t.locks.length || SLOT.getAcquire(t.locks, id - 1) == null) {
            throw new IllegalArgumentException("no lock with id " + id);
        }
        return t;
    }
}
