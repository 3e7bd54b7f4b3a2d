package io.ctxlock.api;

import java.util.ArrayList;
import java.util.List;

/**
 * The model's dmesg: splats, BUG lines and warnings, each with the CPU, the context and the
 * stack of contexts it was written from. One per {@link Machine}.
 *
 * <p>Written only when something goes wrong (a misuse, a debug-spinlock report, an invariant
 * violation), so it is synchronized and allocates freely; no lock fast path touches it.
 * Thread-safe: any CPU's thread may write, any thread may read.
 */
public final class KernelLog {
    /** One logged report. {@code text} may span several lines, as a splat does. */
    public record Entry(long seq, int cpu, String context, String contextStack, String text) {
        @Override
        public String toString() {
            return String.format("[%6d] CPU: %d %s (%s)%n%s", seq, cpu, context, contextStack, text);
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final java.util.Set<String> warned = new java.util.HashSet<>(); // WARN_ON_ONCE sites that fired

    KernelLog() {}

    /** Appends a report written from {@code cpu} in its current context ({@code printk}). */
    public void printk(Cpu cpu, String text) {
        append(cpu.id(), cpu.context().kernelName(), cpu.contextStack(), text);
    }

    /**
     * {@code WARN_ON_ONCE(condition)} at {@code file}'s {@code function}: the first time per machine
     * and site, writes the kernel's {@code __warn()} line ("WARNING: CPU: 0 PID: 1 at
     * kernel/softirq.c __local_bh_enable_ip", without the kernel's line number and offset; the pid
     * is the CPU's task, 1 + CPU number, as in {@code Splat}), the
     * condition and {@code detail} (may be empty); afterwards nothing. Returns whether it wrote.
     */
    public boolean warnOnce(Cpu cpu, String file, String function, String condition, String detail) {
        synchronized (this) {
            if (!warned.add(file + ":" + function + ":" + condition)) {
                return false;
            }
        }
        printk(cpu, "WARNING: CPU: " + cpu.id() + " PID: " + (cpu.id() + 1) + " at " + file + " " + function + "\n " + condition
                + (detail.isEmpty() ? "" : "\n " + detail)
                + "\n CPU: " + cpu.id() + " " + cpu.contextName() + " (" + cpu.contextStack() + ")");
        return true;
    }

    /** Appends a report written about, but not necessarily from, a CPU (a watchdog report). */
    public synchronized void append(int cpu, String context, String contextStack, String text) {
        entries.add(new Entry(entries.size() + 1L, cpu, context, contextStack, text));
    }

    /** A snapshot of the entries so far, oldest first. */
    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** Whether any entry's text contains {@code fragment}. */
    public synchronized boolean contains(String fragment) {
        for (Entry e : entries) {
            if (e.text().contains(fragment)) {
                return true;
            }
        }
        return false;
    }

    public synchronized int size() {
        return entries.size();
    }

    public synchronized void clear() {
        entries.clear();
    }

    /** The whole log as text, the way {@code dmesg} prints it. */
    @Override
    public synchronized String toString() {
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries) {
            sb.append(e).append(System.lineSeparator());
        }
        return sb.toString();
    }
}
