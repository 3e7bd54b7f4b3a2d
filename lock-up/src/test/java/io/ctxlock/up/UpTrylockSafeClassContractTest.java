package io.ctxlock.up;

import io.ctxlock.api.Backend;
import io.ctxlock.api.contract.SpinLockContract;

/** The lock contract on UP TrylockSafeClass. Proposal D for locks of a marked (any-context) class. */
class UpTrylockSafeClassContractTest extends SpinLockContract {
    @Override
    protected Backend backend() {
        return UpBackend.create(UpMode.TRYLOCK_SAFE_CLASS);
    }

    @Override
    protected Nested nested() {
        return Nested.FAILS;
    }
}
