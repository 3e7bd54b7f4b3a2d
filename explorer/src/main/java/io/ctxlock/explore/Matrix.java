package io.ctxlock.explore;

import io.ctxlock.alloc.AllocatorScenario;
import io.ctxlock.alloc.KernelConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The verdict matrix: scenarios x configurations, each cell explored and compared with the record
 * ({@link Record}, {@code docs/record.md}) at the same depth: a cell agrees when its verdict and its
 * set of mechanisms are the recorded ones.
 *
 * @param cells every explored cell, scenario-major
 * @param depth the exploration depth
 * @param elapsedMillis wall time of the whole matrix
 */
public record Matrix(List<Cell> cells, int depth, long elapsedMillis) {
    /** One cell and what the record expects of it (null: the record has no row for it). */
    public record Cell(AllocatorScenario scenario, KernelConfig config, CellResult result, Record.Expected expected) {
        public boolean agrees() {
            return expected != null && result.verdict() == expected.verdict()
                    && result.mechanisms().equals(expected.mechanisms());
        }
    }

    /** Explores every pair of the given scenarios and configurations, against the shipped record. */
    public static Matrix run(List<AllocatorScenario> scenarios, List<KernelConfig> configs, int depth) {
        return run(scenarios, configs, depth, Record.load());
    }

    /** Explores every pair of the given scenarios and configurations, against {@code record}. */
    public static Matrix run(List<AllocatorScenario> scenarios, List<KernelConfig> configs, int depth, Record record) {
        return run(scenarios, configs, depth, record, (done, total) -> { });
    }

    /**
     * As {@link #run(List, List, int, Record)}, telling {@code progress} (cells done, cells in all)
     * after each cell. A scenario or configuration named twice is explored once; a scenario is
     * explored only on the configurations it {@linkplain AllocatorScenario#appliesTo applies to}.
     */
    public static Matrix run(List<AllocatorScenario> scenarios, List<KernelConfig> configs, int depth, Record record,
            java.util.function.BiConsumer<Integer, Integer> progress) {
        long start = System.nanoTime();
        Explorer explorer = new Explorer();
        List<AllocatorScenario> rows = scenarios.stream().distinct().toList();
        List<KernelConfig> cols = configs.stream().distinct().toList();
        List<Cell> cells = new ArrayList<>();
        int total = (int) rows.stream().mapToLong(s -> cols.stream().filter(s::appliesTo).count()).sum();
        for (AllocatorScenario s : rows) {
            for (KernelConfig c : cols) {
                if (!s.appliesTo(c)) {
                    continue; // a cross-CPU scenario on one CPU, say: no cell
                }
                CellResult r = explorer.explore(AllocatorCells.of(s, c), depth);
                cells.add(new Cell(s, c, r, record.expected(depth, s.name(), c.name())));
                progress.accept(cells.size(), total);
            }
        }
        return new Matrix(List.copyOf(cells), depth, (System.nanoTime() - start) / 1_000_000);
    }

    /** Whether every cell agrees with the record. */
    public boolean agrees() {
        return cells.stream().allMatch(Cell::agrees);
    }
}
