package io.ctxlock.up;

import io.ctxlock.api.Backend;
import io.ctxlock.api.contract.SpinLockContract;

/** The lock contract on UP Stateless. The broken CONFIG_SMP=n spinlock: a nested trylock succeeds (the seed's bug). */
class UpStatelessContractTest extends SpinLockContract {
    @Override
    protected Backend backend() {
        return UpBackend.create(UpMode.STATELESS);
    }

    @Override
    protected Nested nested() {
        return Nested.SUCCEEDS;
    }
}
