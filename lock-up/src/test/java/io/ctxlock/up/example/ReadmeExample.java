package io.ctxlock.up.example;

// README:BEGIN
import io.ctxlock.api.ContextKind;
import io.ctxlock.api.Cpu;
import io.ctxlock.api.LockClass;
import io.ctxlock.api.Machine;
import io.ctxlock.api.SpinLock;
import io.ctxlock.api.TryResult;
import io.ctxlock.up.UpBackend;
import io.ctxlock.up.UpMode;

public class ReadmeExample {
    public static void main(String[] args) {
        for (UpMode mode : new UpMode[] {UpMode.STATELESS, UpMode.DEBUG, UpMode.STATEFUL}) {
            Machine m = Machine.builder().backend(UpBackend.create(mode)).build();
            Cpu cpu = m.cpu(0);
            SpinLock pcp = m.newSpinLock("pcp->lock", LockClass.anyContext("pcp->lock"));

            pcp.lock(cpu);                                 // task context, interrupts enabled
            cpu.run(ContextKind.NMI, "perf", c -> {        // an NMI arrives on the same CPU
                TryResult r = pcp.tryLockDetailed(c);      // what the nested trylock finds
                System.out.println(mode + ": the NMI's trylock: " + r.reason());
                if (r.acquired()) {
                    pcp.unlock(c);                         // it walked into the task's section
                }
            });
            pcp.unlock(cpu);
            m.kernelLog().entries().forEach(e -> System.out.println("  dmesg: " + e.text().lines().findFirst().orElse("")));
        }
    }
}
// README:END
