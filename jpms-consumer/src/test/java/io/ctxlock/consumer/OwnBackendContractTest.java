package io.ctxlock.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ctxlock.api.Backend;
import io.ctxlock.api.contract.SpinLockContract;
import org.junit.jupiter.api.Test;

/** An outside backend runs the same contract as the project's own. */
class OwnBackendContractTest extends SpinLockContract {
    @Override
    protected Backend backend() {
        return new OwnBackend();
    }

    @Override
    protected Nested nested() {
        return Nested.FAILS;
    }

    @Test
    void theConsumerModuleUsesTheExplorersApi() {
        assertEquals("clean NB (6); Machine[consumer/own-word, 1 CPU]", Consumer.run());
    }
}
