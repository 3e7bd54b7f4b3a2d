package io.ctxlock.jvm;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What locks of one kind share: the name reports print, the {@link NestedPolicy}, the optional
 * {@link LockValidator} and the count of dropped tasks. The kernel's {@code lock_class_key}: one
 * class per call site that creates locks (every appender of one type, every channel's outbound
 * lock), so that each further lock costs only its own 32 bytes and the validator reasons about
 * kinds of locks. {@code new ContextLock(name)} makes a class of its own, which the lock then
 * pays for too (the class and its drop counter). Immutable but for the counter; safe to
 * share between threads.
 */
public final class ContextLockClass {
    private final String name;
    private final NestedPolicy policy;
    private final LockValidator validator;
    private final AtomicLong dropped = new AtomicLong();

    private ContextLockClass(String name, NestedPolicy policy, LockValidator validator) {
        this.name = Objects.requireNonNull(name, "name");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.validator = validator;
    }

    /** A class with policy {@link NestedPolicy#THROW} and no validator. */
    public static ContextLockClass of(String name) {
        return new ContextLockClass(name, NestedPolicy.THROW, null);
    }

    /** A class with {@code policy} and no validator. */
    public static ContextLockClass of(String name, NestedPolicy policy) {
        return new ContextLockClass(name, policy, null);
    }

    /** A class with {@code policy} whose locks report to {@code validator} (null: none, the default). */
    public static ContextLockClass of(String name, NestedPolicy policy, LockValidator validator) {
        return new ContextLockClass(name, policy, validator);
    }

    /** A new lock of this class. */
    public ContextLock newLock() {
        return new ContextLock(this);
    }

    public String name() {
        return name;
    }

    public NestedPolicy policy() {
        return policy;
    }

    /** The validator, or null. */
    public LockValidator validator() {
        return validator;
    }

    /** Tasks that {@link ContextLock#execute} skipped under {@link NestedPolicy#DROP}, over all locks of the class. */
    public long dropped() {
        return dropped.get();
    }

    void countDrop() {
        dropped.incrementAndGet();
    }

    @Override
    public String toString() {
        return "ContextLockClass[" + name + ", " + policy + (validator == null ? "" : ", validated") + "]";
    }
}
