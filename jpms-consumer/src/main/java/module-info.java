/**
 * A consumer of ctxlock as a user's module would be: it requires {@code io.ctxlock.explore} and
 * nothing else, so it compiles only if the explorer's API brings {@code io.ctxlock.alloc} and
 * {@code io.ctxlock.api} with it ({@code requires transitive}) and the backend SPI is exported.
 */
module io.ctxlock.consumer {
    requires transitive io.ctxlock.explore; // its exported types show io.ctxlock.api types in turn

    exports io.ctxlock.consumer;
}
