package io.ctxlock.smp;

import io.ctxlock.api.Backend;
import io.ctxlock.api.contract.MultiCpuSpinLockContract;
import java.time.Duration;

/** The multi-CPU contract on the SMP backend with TICKET locks. */
class SmpTicketMultiCpuContractTest extends MultiCpuSpinLockContract {
    @Override
    protected Backend backend(Duration lockupTimeout) {
        return SmpBackend.builder().algorithm(SmpAlgorithm.TICKET).lockupTimeout(lockupTimeout).build();
    }

    @Override
    protected boolean fifo() {
        return true;
    }
}
