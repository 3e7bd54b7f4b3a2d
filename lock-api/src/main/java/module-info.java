/**
 * The execution-context model and the lock API of ctxlock.
 *
 * <p>{@code io.ctxlock.api} is for users; {@code io.ctxlock.api.spi} is the small state machine a
 * backend implements, exported only to the backend modules so that no user code can reach round
 * the context bookkeeping of {@link io.ctxlock.api.SpinLock}.
 */
module io.ctxlock.api {
    requires org.jctools.core.jdk11;

    exports io.ctxlock.api;
    exports io.ctxlock.api.spi to io.ctxlock.up, io.ctxlock.smp;
}
