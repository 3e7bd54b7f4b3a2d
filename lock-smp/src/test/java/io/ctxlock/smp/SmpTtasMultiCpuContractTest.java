package io.ctxlock.smp;

import io.ctxlock.api.Backend;
import io.ctxlock.api.contract.MultiCpuSpinLockContract;
import java.time.Duration;

/** The multi-CPU contract on the SMP backend with TTAS locks. */
class SmpTtasMultiCpuContractTest extends MultiCpuSpinLockContract {
    @Override
    protected Backend backend(Duration lockupTimeout) {
        return SmpBackend.builder().algorithm(SmpAlgorithm.TTAS).lockupTimeout(lockupTimeout).build();
    }

    @Override
    protected boolean fifo() {
        return false;
    }
}
