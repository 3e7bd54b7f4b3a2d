/**
 * The execution-context model and the lock API of ctxlock.
 *
 * <p>{@code io.ctxlock.api} is for users. {@code io.ctxlock.api.spi} is the backend SPI: the small
 * state machine ({@code LockWord}) a backend implements and the factory ({@code BackendSpi}) that
 * makes its words. It is exported to every module so that a backend of your own (a module that
 * {@code requires io.ctxlock.api}) can implement it and run the contract test of lock-api's
 * test-jar; it is not for code that takes locks, which goes through {@link io.ctxlock.api.SpinLock}
 * and so cannot skip the context bookkeeping.
 */
module io.ctxlock.api {
    requires org.jctools.core.jdk11;

    exports io.ctxlock.api;
    exports io.ctxlock.api.spi;

    uses io.ctxlock.api.spi.BackendProvider;
}
