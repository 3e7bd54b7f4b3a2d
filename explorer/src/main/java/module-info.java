/** Systematic interrupt injection and the verdict matrix of scenarios x configurations. */
module io.ctxlock.explore {
    requires transitive io.ctxlock.api;
    requires transitive io.ctxlock.alloc;
    requires io.ctxlock.up;
    requires io.ctxlock.smp;

    requires info.picocli;

    exports io.ctxlock.explore;
    opens io.ctxlock.explore.cli to info.picocli; // the command classes, read by reflection
}
