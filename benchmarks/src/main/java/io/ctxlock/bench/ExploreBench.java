package io.ctxlock.bench;

import io.ctxlock.alloc.AllocatorScenario;
import io.ctxlock.alloc.KernelConfig;
import io.ctxlock.explore.AllocatorCells;
import io.ctxlock.explore.CellResult;
import io.ctxlock.explore.Explorer;
import io.ctxlock.explore.Scenario;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Exploration of S3 on UP at depth 1: 5 injected runs, plus the uninterrupted counting run and the
 * traced re-run of the first failure, each from a freshly booted machine and model.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class ExploreBench {
    /** Machines booted per exploration of S3 on UP: 5 injected, 1 counting, 1 traced re-run. */
    static final int RUNS_PER_EXPLORATION = 7;

    final Scenario s3 = AllocatorCells.of(AllocatorScenario.S3, KernelConfig.UP);
    final Explorer explorer = new Explorer();

    @Benchmark
    public CellResult exploreS3OnUp() {
        return explorer.explore(s3, 1);
    }
}
