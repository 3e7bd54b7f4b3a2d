package io.ctxlock.jvm.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxlock.jvm.ContextKind;
import io.ctxlock.jvm.ContextLock;
import io.ctxlock.jvm.NestedPolicy;
import io.ctxlock.jvm.Scope;
import io.ctxlock.jvm.ThreadContexts;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * A logging handler whose own formatting logs (logback's ReentryGuard and Log4j2's "Recursive call
 * to appender" case): the nested record is deferred to the outer publish's unlock, so nothing is
 * lost, nothing recurses, and records from other threads are serialized as before.
 */
class RecursiveLoggingHandlerTest {
    /** Appends formatted records to a list that is not thread-safe, under a DEFER lock. */
    static final class ListHandler extends Handler {
        final ContextLock lock = new ContextLock("ListHandler", NestedPolicy.DEFER);
        final List<String> out = new ArrayList<>(); // guarded by lock
        int maxDepth;

        @Override
        public void publish(LogRecord r) {
            lock.runOrDefer(() -> {
                try (Scope s = ThreadContexts.enter(ContextKind.CALLBACK, "format")) {
                    maxDepth = Math.max(maxDepth, s.depth());
                    out.add(getFormatter().format(r)); // may log, and so call publish again
                }
            });
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    @Test
    void aRecordLoggedWhileFormattingIsDeferredNotLostNorRecursive() throws Exception {
        Logger logger = Logger.getLogger("ctxlock.example." + System.nanoTime());
        logger.setUseParentHandlers(false);
        ListHandler h = new ListHandler();
        h.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord r) {
                if (r.getMessage().startsWith("order")) {
                    logger.warning("formatter saw " + r.getMessage()); // logging from inside the appender
                }
                return r.getLevel() + " " + r.getMessage();
            }
        });
        logger.addHandler(h);
        logger.info("order 1");
        logger.info("plain");
        assertEquals(List.of("INFO order 1", "WARNING formatter saw order 1", "INFO plain"), h.out);
        assertEquals(1, h.maxDepth, "the nested record ran at the outer level, not one deeper");

        Thread[] threads = new Thread[2];
        for (int t = 0; t < threads.length; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 500; i++) {
                    logger.log(Level.INFO, "order t" + id + "-" + i);
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(3 + 2 * 500 * 2, h.out.size(), "every record and every nested record");
        for (int i = 3; i < h.out.size(); i += 2) { // each nested record right after its outer one
            assertTrue(h.out.get(i + 1).equals("WARNING formatter saw " + h.out.get(i).substring(5)), h.out.get(i + 1));
        }
    }
}
