/** The page allocator and SLUB, modelled on the lock API: the seed's corruptions, step by step. */
module io.ctxlock.alloc {
    requires transitive io.ctxlock.api;
    requires org.jctools.core.jdk11;

    exports io.ctxlock.alloc;
}
