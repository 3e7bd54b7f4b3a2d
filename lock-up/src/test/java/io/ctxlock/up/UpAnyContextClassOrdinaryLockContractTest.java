package io.ctxlock.up;

import io.ctxlock.api.Backend;
import io.ctxlock.api.LockClass;
import io.ctxlock.api.contract.SpinLockContract;

/** Proposal D for locks of an ordinary class: they stay stateless, so nested trylocks succeed. */
class UpAnyContextClassOrdinaryLockContractTest extends SpinLockContract {
    @Override
    protected Backend backend() {
        return UpBackend.create(UpMode.ANY_CONTEXT_CLASS);
    }

    @Override
    protected LockClass lockClass(String name) {
        return LockClass.of(name);
    }

    @Override
    protected Nested nested() {
        return Nested.SUCCEEDS;
    }
}
