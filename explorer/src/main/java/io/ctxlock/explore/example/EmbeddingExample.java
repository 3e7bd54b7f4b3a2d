package io.ctxlock.explore.example;

import io.ctxlock.api.Backend;
import io.ctxlock.api.Cpu;
import io.ctxlock.api.Interrupt;
import io.ctxlock.api.KernelBug;
import io.ctxlock.api.LockClass;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import io.ctxlock.explore.CellResult;
import io.ctxlock.explore.Explorer;
import io.ctxlock.explore.Scenario;
import io.ctxlock.up.UpBackend;
import io.ctxlock.up.UpMode;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The example of {@code docs/embedding.md}: a model of your own on the lock API (a pool of slots
 * whose free count and free list must agree), driven from a host's own event loop with virtual
 * time, then explored systematically. Run it with
 * {@code java -cp explorer/target/ctxlock.jar io.ctxlock.explore.example.EmbeddingExample}.
 */
public final class EmbeddingExample {
    private EmbeddingExample() {}

    /** Your model: a pool of slots; taking and returning one is two steps under a lock. */
    static final class Pool {
        final SpinLock lock;
        final int[] free = new int[16];
        int count;
        int out; // a bit per slot handed out

        Pool(Machine m) {
            lock = m.newSpinLock("pool->lock", LockClass.anyContext("pool->lock")); // trylocked from any context
            for (int i = 0; i < 8; i++) {
                free[count++] = i;
            }
        }

        /** A slot, or -1 if the pool is empty or busy (held by us or by code we interrupted). */
        int get(Cpu cpu) {
            if (!lock.tryLock(cpu)) {
                return -1;
            }
            int n = count;                      // read ...
            cpu.interruptPoint("pool_get:half"); // ... where an interrupt may arrive ...
            int slot = n > 0 ? free[n - 1] : -1;
            count = Math.max(0, n - 1);         // ... and write back
            if (slot >= 0 && (out & 1 << slot) != 0) {
                throw KernelBug.report(cpu, "example/pool.c: pool_get", "slot handed out twice",
                        "slot " + slot + " is already out: another context took it inside this section");
            }
            if (slot >= 0) {
                out |= 1 << slot;
            }
            lock.unlock(cpu);
            return slot;
        }

        void put(Cpu cpu, int slot) {
            lock.lock(cpu);
            out &= ~(1 << slot);
            free[count++] = slot;
            lock.unlock(cpu);
        }
    }

    public static void main(String[] args) {
        for (UpMode mode : new UpMode[] {UpMode.STATELESS, UpMode.STATEFUL}) {
            System.out.println(mode + ": " + simulate(UpBackend.create(mode), 42));
        }
        for (UpMode mode : new UpMode[] {UpMode.STATELESS, UpMode.STATEFUL}) {
            CellResult r = new Explorer().explore(scenario(UpBackend.create(mode)), 1);
            System.out.println(mode + " explored: " + r.cellText() + (r.firstFailure() == null ? ""
                    : ", first failure: " + r.firstFailure().invariant() + " at " + r.firstFailure().label()));
        }
    }

    /**
     * A host's event loop: virtual time in microseconds, the task taking and returning a slot every
     * 10 us, a timer hardirq every 25 us that takes a slot
     * and returns it, and one NMI at a seeded time, which keeps the slot it gets. The host raises
 * interrupts at its own times; the model delivers them at the
     * CPU's next interrupt point, so the same seed gives the same run.
     */
    static String simulate(Backend backend, long seed) {
        Machine m = Machine.builder().backend(backend).build();
        Cpu cpu = m.cpu(0);
        Pool pool = new Pool(m);
        Interrupt timer = Interrupt.hardirq("timer", c -> borrow(pool, c));
        Interrupt nmi = Interrupt.nmi("perf", c -> pool.get(c)); // keeps what it gets
        long nmiAt = 10 + new SplittableRandom(seed).nextInt(90);
        int gets = 0;
        try {
            for (long now = 0; now < 200; now += 5) {
                if (now % 25 == 0) {
                    cpu.raise(timer);
                }
                if (now == nmiAt / 5 * 5) {
                    cpu.raise(nmi);
                }
                if (now % 10 == 0) {
                    int s = pool.get(cpu);
                    if (s >= 0) {
                        gets++;
                        pool.put(cpu, s);
                    }
                }
                cpu.interruptPoint("host:tick");
            }
            return gets + " slots taken and returned by the task, NMI at " + nmiAt + " us, pool consistent";
        } catch (KernelBug bug) {
            return "CORRUPT after " + gets + " gets: " + bug.invariant();
        }
    }

    /** What the handlers do: take a slot if the pool gives one (its trylock may fail) and give it back. */
    private static void borrow(Pool pool, Cpu c) {
        int s = pool.get(c);
        if (s >= 0) {
            pool.put(c, s); // the trylock succeeded, so the lock was free (or the backend cannot tell)
        }
    }

    /** The same model as an explorable {@link Scenario}: the task takes and returns a slot; an NMI takes one. */
    static Scenario scenario(Backend backend) {
        return new Scenario() {
            @Override
            public String id() {
                return "POOL";
            }

            @Override
            public String description() {
                return "the task takes a slot and returns it; an NMI takes one";
            }

            @Override
            public Instance start() {
                Machine m = Machine.builder().backend(backend).build();
                Pool pool = new Pool(m);
                return new Instance() {
                    @Override
                    public Machine machine() {
                        return m;
                    }

                    @Override
                    public void runTask() {
                        pool.put(m.cpu(0), pool.get(m.cpu(0)));
                    }

                    @Override
                    public List<Interrupt> interrupts() {
                        return List.of(Interrupt.nmi("perf", c -> pool.get(c)));
                    }
                };
            }
        };
    }
}
