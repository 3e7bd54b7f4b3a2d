/**
 * ctxlock's plain-Java mode: a reentrancy-aware {@link java.util.concurrent.locks.Lock} for code
 * that runs callbacks, appenders, agents' advice and handlers on the stack of a lock holder. See
 * {@link io.ctxlock.jvm}.
 */
module io.ctxlock.jvm {
    requires org.jctools.core.jdk11;

    exports io.ctxlock.jvm;
}
