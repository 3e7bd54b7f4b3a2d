package io.ctxlock.explore;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.KernelLock;
import io.ctxlock.api.Tracer;
import io.ctxlock.api.TryResult;
import java.util.ArrayList;
import java.util.List;

/**
 * A tracer that keeps every event, for the re-run of a failing injection. With {@code full} false
 * it keeps only failed trylocks and missed probes, which is what a clean run reports; that costs
 * nothing on the lock paths but a no-op call.
 */
final class RecordingTracer implements Tracer {
    private final boolean full;
    private final List<TraceEvent> events = new ArrayList<>();

    RecordingTracer(boolean full) {
        this.full = full;
    }

    List<TraceEvent> events() {
        return events;
    }

    void add(Cpu cpu, TraceEvent.Type type, String detail) {
        events.add(new TraceEvent(events.size(), cpu.id(), cpu.depth(), cpu.contextStack(), type, detail,
                full ? cpu.heldLocks() : ""));
    }

    @Override
    public void tryFailed(Cpu cpu, KernelLock lock, TryResult why) {
        add(cpu, TraceEvent.Type.TRY_FAILED, lock.name() + ": " + why.reason());
    }

    @Override
    public void probeMissed(Cpu cpu, String probe) {
        add(cpu, TraceEvent.Type.PROBE_MISSED, probe + " skipped: it would run inside itself");
    }

    @Override
    public void acquired(Cpu cpu, KernelLock lock) {
        if (full) {
            add(cpu, TraceEvent.Type.ACQUIRE, lock.name());
        }
    }

    @Override
    public void released(Cpu cpu, KernelLock lock) {
        if (full) {
            add(cpu, TraceEvent.Type.RELEASE, lock.name());
        }
    }

    @Override
    public void entered(Cpu cpu) {
        if (full) {
            add(cpu, TraceEvent.Type.ENTER, cpu.contextName());
        }
    }

    @Override
    public void leaving(Cpu cpu) {
        if (full) {
            add(cpu, TraceEvent.Type.EXIT, cpu.contextName());
        }
    }

    @Override
    public void point(Cpu cpu, String label, long seq) {
        if (full) {
            add(cpu, TraceEvent.Type.POINT, "#" + seq + " " + label);
        }
    }
}
