package io.ctxlock.smp;

import io.ctxlock.api.Backend;
import io.ctxlock.api.contract.SpinLockContract;

/**
 * The lock contract on the SMP backend with TTAS locks, on one CPU: proposal A of the RFC ("use
 * the SMP implementation on UP"). A nested trylock fails cleanly, as on every SMP kernel.
 */
class SmpTtasContractTest extends SpinLockContract {
    @Override
    protected Backend backend() {
        return SmpBackend.create(SmpAlgorithm.TTAS);
    }

    @Override
    protected Nested nested() {
        return Nested.FAILS;
    }
}
