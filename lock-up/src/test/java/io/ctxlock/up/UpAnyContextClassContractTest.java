package io.ctxlock.up;

import io.ctxlock.api.Backend;
import io.ctxlock.api.contract.SpinLockContract;

/** The lock contract on UP ANY_CONTEXT_CLASS. Proposal D for locks of an any-context class. */
class UpAnyContextClassContractTest extends SpinLockContract {
    @Override
    protected Backend backend() {
        return UpBackend.create(UpMode.ANY_CONTEXT_CLASS);
    }

    @Override
    protected Nested nested() {
        return Nested.FAILS;
    }
}
