package io.ctxlock.api.contract;

import io.ctxlock.api.Backend;

/** lock-api's own bookkeeping, run through the contract on the reference backend. */
class ReferenceBackendContractTest extends SpinLockContract {
    @Override
    protected Backend backend() {
        return new ReferenceBackend();
    }

    @Override
    protected Nested nested() {
        return Nested.FAILS;
    }
}
