package io.ctxlock.jvm.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ctxlock.jvm.ContextKind;
import io.ctxlock.jvm.ContextLock;
import io.ctxlock.jvm.NestedPolicy;
import io.ctxlock.jvm.Owner;
import io.ctxlock.jvm.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/**
 * An emitter whose subscriber emits again from {@code onNext} (Reactor's FAIL_NON_SERIALIZED and
 * busy-looping case): every emission is serialized by a DEFER lock, a re-entrant emission is
 * trampolined to the outer emission's unlock, so the stack stays one level deep however long the
 * chain, and the order is the order of emission.
 */
class TrampolinedEmitterTest {
    static final class Emitter {
        final ContextLock lock = new ContextLock("emitter", NestedPolicy.DEFER);
        final List<IntConsumer> subscribers = new ArrayList<>();
        int deepest;

        void emit(Owner o, int v) {
            lock.runOrDefer(o, () -> {
                for (IntConsumer s : subscribers) {
                    try (Scope scope = o.enter(ContextKind.CALLBACK, "onNext")) {
                        deepest = Math.max(deepest, scope.depth());
                        s.accept(v);
                    }
                }
            });
        }
    }

    @Test
    void aSubscriberThatEmitsFromOnNextIsTrampolinedInOrder() {
        Owner o = Owner.create("publisher");
        Emitter e = new Emitter();
        List<Integer> got = new ArrayList<>();
        e.subscribers.add(v -> {
            got.add(v);
            if (v < 10_000) {
                e.emit(o, v + 1); // would be 10,000 frames deep if emit recursed
            }
        });
        e.subscribers.add(v -> {
            if (v % 2 == 0) {
                got.add(-v);
            }
        });
        e.emit(o, 1);
        assertEquals(1, e.deepest);
        assertEquals(10_000 + 5_000, got.size());
        assertEquals(List.of(1, 2, -2, 3, 4, -4), got.subList(0, 6));
        assertEquals(0, o.depth());
    }
}
