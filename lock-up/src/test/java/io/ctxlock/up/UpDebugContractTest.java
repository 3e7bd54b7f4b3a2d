package io.ctxlock.up;

import io.ctxlock.api.Backend;
import io.ctxlock.api.contract.SpinLockContract;

/** The lock contract on UP Debug. DEBUG_SPINLOCK on UP: a nested trylock fails and is reported. */
class UpDebugContractTest extends SpinLockContract {
    @Override
    protected Backend backend() {
        return UpBackend.create(UpMode.DEBUG);
    }

    @Override
    protected Nested nested() {
        return Nested.FAILS_AND_LOGS;
    }
}
