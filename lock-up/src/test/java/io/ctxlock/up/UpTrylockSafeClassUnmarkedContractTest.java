package io.ctxlock.up;

import io.ctxlock.api.Backend;
import io.ctxlock.api.LockClass;
import io.ctxlock.api.contract.SpinLockContract;

/** Proposal D for locks of an unmarked class: they stay stateless, so nested trylocks succeed. */
class UpTrylockSafeClassUnmarkedContractTest extends SpinLockContract {
    @Override
    protected Backend backend() {
        return UpBackend.create(UpMode.TRYLOCK_SAFE_CLASS);
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
