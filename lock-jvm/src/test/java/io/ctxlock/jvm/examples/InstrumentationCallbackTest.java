package io.ctxlock.jvm.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ctxlock.jvm.ContextKind;
import io.ctxlock.jvm.ContextLock;
import io.ctxlock.jvm.LockResult;
import io.ctxlock.jvm.Owner;
import io.ctxlock.jvm.Scope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * An agent's advice woven into a locked structure's mutator calls back into the same structure
 * (OpenTelemetry's CallDepth, elastic apm-agent-java #367). With ReentrantLock the advice would
 * re-enter and read a half-updated map; here its trylock fails NESTED and the advice skips, while
 * the same advice from another owner reads a consistent snapshot.
 */
class InstrumentationCallbackTest {
    /** A map with a size counter kept in step under the lock, and an instrumentation hook. */
    static final class Registry {
        final ContextLock lock = new ContextLock("registry");
        final Map<String, Integer> map = new HashMap<>();
        int size;
        Consumer<Owner> advice = o -> { };

        void put(Owner o, String k, int v) {
            lock.lock(o);
            try {
                map.put(k, v);
                try (Scope s = o.enter(ContextKind.ADVICE, "metrics")) {
                    advice.accept(o); // between the two updates, as woven advice runs
                }
                size = map.size();
            } finally {
                lock.unlock(o);
            }
        }

        /** The advice's read: consistent, or skipped with the reason. */
        String snapshot(Owner o) {
            LockResult r = lock.tryLockDetailed(o);
            if (!r.acquired()) {
                return "skipped: " + r;
            }
            try {
                return map.size() == size ? "consistent " + size : "TORN " + map.size() + "/" + size;
            } finally {
                lock.unlock(o);
            }
        }
    }

    @Test
    void theAdviceSkipsInsideTheLockedCallAndReadsConsistentlyOutsideIt() {
        Registry r = new Registry();
        List<String> seen = new ArrayList<>();
        Owner app = Owner.create("app");
        r.advice = o -> seen.add(r.snapshot(o));
        r.put(app, "a", 1);
        r.put(app, "b", 2);
        seen.add(r.snapshot(app));
        seen.add(r.snapshot(Owner.create("exporter")));
        assertEquals(List.of("skipped: NESTED", "skipped: NESTED", "consistent 2", "consistent 2"), seen);
    }
}
