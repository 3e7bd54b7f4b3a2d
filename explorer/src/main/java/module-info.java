/** Systematic interrupt injection and the verdict matrix of scenarios x configurations. */
module io.ctxlock.explore {
    requires transitive io.ctxlock.api;
    requires io.ctxlock.alloc;
    requires io.ctxlock.up;
    requires io.ctxlock.smp;

    exports io.ctxlock.explore;
}
