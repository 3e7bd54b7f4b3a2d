package io.ctxlock.up;

import io.ctxlock.api.Backend;
import io.ctxlock.api.contract.SpinLockContract;

/** The lock contract on UP Stateful. Proposal B: a word per lock; a nested trylock fails cleanly. */
class UpStatefulContractTest extends SpinLockContract {
    @Override
    protected Backend backend() {
        return UpBackend.create(UpMode.STATEFUL);
    }

    @Override
    protected Nested nested() {
        return Nested.FAILS;
    }
}
