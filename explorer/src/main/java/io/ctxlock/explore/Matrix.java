package io.ctxlock.explore;

import io.ctxlock.alloc.AllocatorScenario;
import io.ctxlock.alloc.KernelConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The verdict matrix: scenarios x configurations, each cell explored, compared with the record of
 * KERNEL-SEMANTICS section 4.
 *
 * @param cells every explored cell, scenario-major
 * @param depth the exploration depth
 * @param elapsedMillis wall time of the whole matrix
 */
public record Matrix(List<Cell> cells, int depth, long elapsedMillis) {
    /** One cell and what the record expects of it. */
    public record Cell(AllocatorScenario scenario, KernelConfig config, CellResult result, boolean expectedCorrupt) {
        public boolean agrees() {
            return result.corrupt() == expectedCorrupt;
        }
    }

    /** Explores every pair of the given scenarios and configurations. */
    public static Matrix run(List<AllocatorScenario> scenarios, List<KernelConfig> configs, int depth) {
        long start = System.nanoTime();
        Explorer explorer = new Explorer();
        List<Cell> cells = new ArrayList<>();
        for (AllocatorScenario s : scenarios) {
            for (KernelConfig c : configs) {
                CellResult r = explorer.explore(AllocatorCells.of(s, c), depth);
                cells.add(new Cell(s, c, r, s.expectedCorrupt(c)));
            }
        }
        return new Matrix(List.copyOf(cells), depth, (System.nanoTime() - start) / 1_000_000);
    }

    /** Whether every cell agrees with the record. */
    public boolean agrees() {
        return cells.stream().allMatch(Cell::agrees);
    }
}
