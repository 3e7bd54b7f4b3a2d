package io.ctxlock.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctxlock.alloc.AllocatorScenario;
import io.ctxlock.alloc.KernelConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The proposals table: coverage as the record has it, bytes as the cited sizes give them. */
class ProposalsTest {
    private static final LockCounts COUNTS = new LockCounts(3, 1, 50, 2, 7, 1000); // not the defaults
    private static Map<KernelConfig, Proposals.Row> rows;

    @BeforeAll
    static void table() {
        rows = Proposals.byConfig(Proposals.table(COUNTS, Costs.shipped()));
    }

    @Test
    void coverageIsTheRecordsCleanScenariosAtBothDepths() {
        Record record = Record.load();
        for (KernelConfig c : Proposals.CONFIGS) {
            for (int depth = 1; depth <= 2; depth++) {
                List<String> clean = new ArrayList<>();
                for (AllocatorScenario s : Proposals.SCENARIOS) {
                    if (record.expected(depth, s.name(), c.name()).verdict() == Verdict.CLEAN) {
                        clean.add(s.name());
                    }
                }
                assertEquals(clean, depth == 1 ? rows.get(c).cleanDepth1() : rows.get(c).cleanDepth2(), c + " depth " + depth);
            }
        }
        assertEquals(List.of("S5: list_add corruption at __list_add", "S6: VM_BUG_ON(new.frozen) at get_partial_node:loop"),
                rows.get(KernelConfig.E).holes());
        assertTrue(rows.get(KernelConfig.C).holes().stream().anyMatch(h -> h.startsWith("S8: (depth 2 only)")));
    }

    @Test
    void bytesAreTheCitedSizesTimesTheLockCounts() {
        long pcp = 3;
        long zone = 3;
        long list = 50 * 2;
        long barn = 7;
        long all = pcp + zone + list + barn + 1000;
        assertEquals(0, rows.get(KernelConfig.UP).bytesTotal());
        assertEquals(0, rows.get(KernelConfig.E).bytesTotal());
        assertEquals(24 * all, rows.get(KernelConfig.UP_DEBUG).bytesTotal());
        assertEquals(4 * all, rows.get(KernelConfig.A).bytesTotal());
        assertEquals(4 * all, rows.get(KernelConfig.B).bytesTotal());
        assertEquals(4, rows.get(KernelConfig.C).bytesTotal(), "one atomic_t in all");
        assertEquals(4 * (pcp + zone + list + barn), rows.get(KernelConfig.D).bytesTotal());
        assertEquals(24 * all, rows.get(KernelConfig.RT).bytesTotal());
        assertEquals(Sizes.UP_DEBUG_SPINLOCK, 24);
        assertEquals(Sizes.QSPINLOCK, Sizes.ATOMIC_T);
    }

    @Test
    void costsAreRatiosToTheStatelessUpLockOfOneRun() {
        Costs costs = Costs.parse("Machine: 2 CPUs; JVM: X; date: 2026-01-01.\n"
                + "| LockPathBench.lockUnlock[up-stateless] | 4.00 | 0.1 |\n"
                + "| LockPathBench.lockUnlock[up-stateful] | 5.00 | 0.1 |\n"
                + "| BaselineBench.plainInt | 0.50 | 0.01 |\n", "test");
        assertEquals(1.0, costs.relative(KernelConfig.UP));
        assertEquals(1.25, costs.relative(KernelConfig.B));
        assertTrue(Double.isNaN(costs.relative(KernelConfig.RT)));
        assertEquals(0.5, costs.hardware(KernelConfig.B));
        assertEquals("test of 2026-01-01 (2 CPUs, X)", costs.source());
        assertEquals(1.0, rows.get(KernelConfig.UP).relativeCost());
    }

    @Test
    void theCallSitesAreCountedFromTheModel() {
        assertEquals(List.of("drainPagesZone", "freeToPcp", "rmqueuePcplist"), rows.get(KernelConfig.C).callSites());
        assertEquals(List.of("n->list_lock", "pcp->lock", "zone->lock"), rows.get(KernelConfig.D).callSites());
        assertEquals(4, rows.get(KernelConfig.E).callSites().size());
    }

    @Test
    void theCommandPrintsJsonWithOneObjectPerConfigurationAndRefusesBadCounts() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertEquals(0, Main.run(new String[] {"proposals", "--format", "json"}, ps, ps));
        String json = out.toString(StandardCharsets.UTF_8);
        assertEquals(Proposals.CONFIGS.size(), json.split("\\{\"config\":").length - 1, json);
        for (String key : List.of("\"coverage\":", "\"holes\":", "\"bytesPerLock\":", "\"bytesTotal\":",
            "\"relativeCost\":", "\"callSites\":")) {
            assertEquals(Proposals.CONFIGS.size(), json.split(key, -1).length - 1, key);
        }
        out.reset();
        assertEquals(0, Main.run(new String[] {"proposals", "--format", "md"}, ps, ps));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("| config | clean (of 8) |"));
        assertEquals(2, Main.run(new String[] {"proposals", "--cpus", "0"}, ps, ps));
        assertEquals(2, Main.run(new String[] {"proposals", "--format", "html"}, ps, ps));
    }
}
