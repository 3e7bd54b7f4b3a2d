package io.ctxlock.api;

/**
 * A symptom of corruption, as the kernel would show it: a {@code BUG()} ("kernel BUG at mm/slub.c:
 * freeze_slab", {@link #report}), a report under the kernel's own title ({@link #titled}), or a
 * {@code WARN} the kernel survives ("list_del corruption", {@link #warning}, kept by the model and
 * thrown at the end of the run). The text names the CPU, the context and the stack of contexts,
 * and is written to the kernel log when the exception is made.
 * Models built on the lock API (the allocator model, a user's own) throw it; exploration
 * classifies a run that ends in one as a corruption, by {@link #invariant()}.
 */
public class KernelBug extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String invariant;
    private final String where;
    private final int cpu;
    private final String context;

    protected KernelBug(String report, String invariant, String where, int cpu, String context) {
        super(report);
        this.invariant = invariant;
        this.where = where;
        this.cpu = cpu;
        this.context = context;
    }

    /**
     * Writes the report to {@code cpu}'s kernel log and returns the exception to throw.
     *
     * @param where the kernel place, e.g. {@code "mm/slub.c: freeze_slab"}
     * @param invariant the short name of what broke, e.g. {@code "freeze_slab: slab already frozen"}
     * @param detail what the model saw
     */
    public static KernelBug report(Cpu cpu, String where, String invariant, String detail) {
        String text = "kernel BUG at " + where + ": " + invariant + "\n " + detail + "\n"
                + " CPU: " + cpu.id() + " " + cpu.contextName() + " (" + cpu.contextStack() + ")\n"
                + " held locks: " + cpu.heldLocks();
        cpu.machine().kernelLog().printk(cpu, text);
        return new KernelBug(text, invariant, where, cpu.id(), cpu.contextName());
    }

    /**
     * A report the kernel prints under its own first line rather than "kernel BUG at" (for
     * example {@code bad_page()}'s "BUG: Bad page state in process ..."); written to the kernel log,
     * returned to be thrown.
     *
     * @param firstLine the kernel's first line
     */
    public static KernelBug titled(Cpu cpu, String where, String invariant, String firstLine, String detail) {
        String text = firstLine + "\n " + detail + "\n CPU: " + cpu.id() + " " + cpu.contextName() + " ("
                + cpu.contextStack() + ")\n held locks: " + cpu.heldLocks();
        cpu.machine().kernelLog().printk(cpu, text);
        return new KernelBug(text, invariant, where, cpu.id(), cpu.contextName());
    }

    /**
     * A corruption the kernel reports with a {@code WARN} and survives (list_debug with
     * CONFIG_BUG_ON_DATA_CORRUPTION=n skips the bad list operation): writes the kernel's
     * {@code __warn()} line and {@code detail} to {@code cpu}'s kernel log and returns the exception,
     * which the caller keeps rather than throws, so the run goes on to the kernel's next symptom.
     *
     * @param where the kernel place, e.g. {@code "lib/list_debug.c: __list_del_entry_valid_or_report"}
     * @param invariant the short name of what broke, e.g. {@code "list_del corruption"}
     * @param detail the kernel's message
     */
    public static KernelBug warning(Cpu cpu, String where, String invariant, String detail) {
        String text = "WARNING: CPU: " + cpu.id() + " PID: " + (cpu.id() + 1) + " at " + where + "\n " + detail + "\n"
                + " CPU: " + cpu.id() + " " + cpu.contextName() + " (" + cpu.contextStack() + ")\n"
                + " held locks: " + cpu.heldLocks();
        cpu.machine().kernelLog().printk(cpu, text);
        return new KernelBug(text, invariant, where, cpu.id(), cpu.contextName());
    }

    /** The invariant that broke, e.g. {@code "list_add corruption"}. */
    public String invariant() {
        return invariant;
    }

    /** The kernel file and function the check stands for. */
    public String where() {
        return where;
    }

    public int cpu() {
        return cpu;
    }

    public String context() {
        return context;
    }
}
