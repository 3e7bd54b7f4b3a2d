package io.ctxlock.explore.example;

import io.ctxlock.api.Cpu;
import io.ctxlock.api.KernelLock;
import io.ctxlock.api.Machine;
import io.ctxlock.api.Stepper;
import io.ctxlock.api.Tracer;
import io.ctxlock.api.TryResult;
import io.ctxlock.explore.Reports;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@link SmpSimulation}'s trace: a Perfetto (Chrome JSON) trace on the host's virtual clock, one
 * track per CPU: interrupt contexts as nested slices, lock holds as async slices, step ends, failed
 * trylocks and spin iterations as instants. A trace event is stamped at the virtual time of the
 * host event it belongs to, or one nanosecond after the trace event before it if that is later, so
 * timestamps never go back and the file is a function of the run (locale-independent text). Also counts what the summary prints and names the threads that
 * called it (a stepped machine runs model code on the host's thread only).
 */
final class SimTrace implements Tracer, Stepper.StepListener {
    private final StringBuilder json = new StringBuilder();
    private final Map<String, Integer> failed = new TreeMap<>();
    private final Map<String, Integer> taken = new TreeMap<>();
    final Set<String> threads = new TreeSet<>();
    long now;
    private long last = -1; // the last timestamp written
    private long spins;

    SimTrace(Machine m) {
        json.append("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"title\":\"ctxlock SmpSimulation\"},\"traceEvents\":[");
        for (int c = 0; c < m.cpuCount(); c++) {
            json.append(c == 0 ? "\n" : ",\n").append("{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":").append(c)
                    .append(",\"args\":{\"name\":\"CPU").append(c).append("\"}}");
        }
    }

    /** The host's clock moved to {@code virtualNanos}. */
    void now(long virtualNanos) {
        now = virtualNanos;
    }

    private StringBuilder event(String name, String ph, int cpu) {
        threads.add(Thread.currentThread().getName());
        long ts = Math.max(now, last + 1);
        last = ts;
        long frac = ts % 1000;
        json.append(",\n{\"name\":").append(Reports.str(name)).append(",\"ph\":\"").append(ph).append("\",\"ts\":")
                .append(ts / 1000).append('.').append(frac < 100 ? "0" : "").append(frac < 10 ? "0" : "").append(frac)
                .append(",\"pid\":1,\"tid\":").append(cpu);
        return json;
    }

    @Override
    public void entered(Cpu cpu) {
        taken.merge(cpu.contextName(), 1, Integer::sum);
        event(cpu.contextName(), "B", cpu.id()).append(",\"cat\":\"context\"}");
    }

    @Override
    public void leaving(Cpu cpu) {
        event(cpu.contextName(), "E", cpu.id()).append(",\"cat\":\"context\"}");
    }

    @Override
    public void acquired(Cpu cpu, KernelLock lock) {
        event(lock.name(), "b", cpu.id()).append(",\"cat\":\"lock\",\"id\":").append(Reports.str(lock.name() + "@" + cpu.depth()))
                .append('}');
    }

    @Override
    public void released(Cpu cpu, KernelLock lock) {
        event(lock.name(), "e", cpu.id()).append(",\"cat\":\"lock\",\"id\":").append(Reports.str(lock.name() + "@" + cpu.depth()))
                .append('}');
    }

    @Override
    public void tryFailed(Cpu cpu, KernelLock lock, TryResult why) {
        failed.merge(lock.name() + ": " + why.reason(), 1, Integer::sum);
        event("trylock failed: " + lock.name(), "i", cpu.id()).append(",\"s\":\"t\",\"args\":{\"reason\":")
                .append(Reports.str(why.reason())).append(",\"context\":").append(Reports.str(cpu.contextStack())).append("}}");
    }

    @Override
    public void stepped(int cpu, String label, boolean nested) {
        event(label, "i", cpu).append(",\"s\":\"t\",\"cat\":\"step\",\"args\":{\"nested\":").append(nested).append("}}");
    }

    @Override
    public void spun(int cpu, String waitingFor, int holderCpu) {
        spins++;
        event("spin on " + waitingFor, "i", cpu).append(",\"s\":\"t\",\"args\":{\"holder\":\"CPU").append(holderCpu)
                .append("\"}}");
    }

    /** The counts the summary prints. */
    String counts() {
        return "interrupts taken " + taken + "; failed trylocks " + failed + "; spin iterations " + spins;
    }

    String json() {
        return json + "\n]}\n";
    }
}
