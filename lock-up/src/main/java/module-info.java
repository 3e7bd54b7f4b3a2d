/** Single-CPU spinlock backends: the kernel's CONFIG_SMP=n spinlocks and the RFC's fixes. */
module io.ctxlock.up {
    requires transitive io.ctxlock.api;

    exports io.ctxlock.up;

    provides io.ctxlock.api.spi.BackendProvider with io.ctxlock.up.UpBackendProvider;
}
