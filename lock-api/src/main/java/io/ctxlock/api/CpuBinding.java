package io.ctxlock.api;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Which Java thread drives a {@link Cpu}: the first thread that uses it is bound to it, any other
 * gets {@link LockMisuseException.WrongThread}, until {@link Cpu#unbindThread()}. A superclass of
 * {@code Cpu} so that the binding sits behind {@link PerCpuPadding}, with what other threads read of
 * the CPU ({@link CpuShared}) and 128 bytes away from what its thread writes ({@link CpuFields}). No
 * kernel counterpart (a kernel CPU is not a thread). The bound thread reads the field plainly; the
 * bind is a CAS, the unbind a volatile store, so a hand-off publishes the CPU's state.
 */
abstract class CpuBinding extends PerCpuPadding {
    private static final VarHandle DRIVER;

    static {
        try {
            DRIVER = MethodHandles.lookup().findVarHandle(CpuBinding.class, "driver", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused")
    private Thread driver; // plain reads by the bound thread; CAS to bind, volatile store to unbind

    /** Every entry point starts here: binds the calling thread if none is, else refuses another. */
    final void checkThread() {
        Thread t = Thread.currentThread();
        if (t != driver) {
            claim(t);
        }
    }

    private void claim(Thread t) {
        if (DRIVER.compareAndSet(this, (Thread) null, t)) {
            return;
        }
        Thread bound = (Thread) DRIVER.getVolatile(this);
        if (bound == t) {
            return;
        }
        throw Misuse.cpu(LockMisuseException.WrongThread::new, (Cpu) this,
                "CPU driven from thread '" + t.getName() + "' while bound to thread '"
                        + (bound == null ? "?" : bound.getName()) + "'");
    }

    /** Drops the binding; the caller checked that the bound thread may. */
    final void unbind() {
        DRIVER.setVolatile(this, (Thread) null);
    }
}
