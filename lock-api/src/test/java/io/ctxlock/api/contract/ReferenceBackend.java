package io.ctxlock.api.contract;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.LockClass;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import io.ctxlock.api.Stepper;
import io.ctxlock.api.spi.BackendSpi;
import io.ctxlock.api.spi.LockWord;
import io.ctxlock.api.spi.OwnerTag;

/**
 * The simplest correct backend for single-threaded tests: one owner tag per lock, in a plain
 * word. It exists so that lock-api can test its own bookkeeping without depending on a backend
 * module; the real backends live in lock-up and lock-smp and run the same contract. It allows up
 * to 8 CPUs, all to be driven from one thread (cross-CPU misuse tests need two); a lock held by
 * another CPU can be waited for only on a stepped machine ({@code Machine.Builder.stepped}).
 */
public final class ReferenceBackend implements BackendSpi {
    @Override
    public String name() {
        return "REFERENCE";
    }

    @Override
    public int maxCpus() {
        return 8;
    }

    @Override
    public LockWordFactory attach(Machine machine) {
        Word word = new Word(machine); // the per-lock state is each lock's own word
        return (String lockName, LockClass lockClass) -> word;
    }

    private static final class Word extends LockWord {
        Word(Machine machine) {
            super(machine);
        }

        @Override
        public boolean tryAcquire(SpinLock lock, int tag) {
            if (wordPlain(lock) != OwnerTag.NO_OWNER) {
                return false;
            }
            setWordPlain(lock, tag);
            return true;
        }

        /**
         * Only a stepped machine can wait here (one thread drives every CPU): each iteration lends
         * the thread to another CPU's step through the stepper, which decides a lockup. This is the
         * whole of what a backend owes a stepped machine.
         */
        @Override
        public void acquireContended(Cpu cpu, SpinLock lock, int tag) {
            Stepper stepper = machine().stepper();
            if (stepper == null) {
                super.acquireContended(cpu, lock, tag);
                return;
            }
            stepper.waitBegin(cpu);
            while (!tryAcquire(lock, tag)) {
                cpu.interruptPoint("spin_lock:spin");
                stepper.waitIteration(cpu, lock, lock.name(), OwnerTag.cpu(owner(lock)));
            }
            stepper.waitEnd(cpu);
        }

        @Override
        public int owner(SpinLock lock) {
            return wordPlain(lock);
        }

        @Override
        public boolean heldBy(SpinLock lock, int tag) {
            return wordPlain(lock) == tag;
        }

        @Override
        public boolean release(SpinLock lock, int tag) {
            if (wordPlain(lock) != tag) {
                return false;
            }
            setWordPlain(lock, OwnerTag.NO_OWNER);
            return true;
        }

        @Override
        public boolean isLocked(SpinLock lock) {
            return wordPlain(lock) != OwnerTag.NO_OWNER;
        }
    }
}
