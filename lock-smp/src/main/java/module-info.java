/** The multi-CPU backend: N CPUs on real threads, owner-aware lock words, lockup watchdog. */
module io.ctxlock.smp {
    requires transitive io.ctxlock.api;
    requires org.agrona;

    exports io.ctxlock.smp;

    provides io.ctxlock.api.spi.BackendProvider with io.ctxlock.smp.SmpBackendProvider;
}
