package io.ctxlock.up;

import io.ctxlock.api.Backend;
import io.ctxlock.api.contract.SpinLockContract;

/** The lock contract on UP SharedWord. Proposal C with every lock class a group of its own word. */
class UpSharedWordContractTest extends SpinLockContract {
    @Override
    protected Backend backend() {
        return UpBackend.create(UpMode.SHARED_WORD);
    }

    @Override
    protected Nested nested() {
        return Nested.FAILS;
    }
}
