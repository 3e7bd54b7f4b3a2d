package io.ctxlock.smp;

import io.ctxlock.api.Backend;
import io.ctxlock.api.spi.BackendProvider;
import java.util.List;

/**
 * The SMP backends by name, for {@link io.ctxlock.api.Backends#named}: {@code smp-ttas} (as
 * {@link SmpBackend#create()}) and {@code smp-ticket}, each with the default lockup bound; one name
 * per backend. Stateless; any thread.
 */
public final class SmpBackendProvider implements BackendProvider {

    /** For {@link java.util.ServiceLoader}. */
    public SmpBackendProvider() {}

    @Override
    public Backend backend(String spec) {
        switch (spec) {
            case "smp-ttas":
                return SmpBackend.create(SmpAlgorithm.TTAS);
            case "smp-ticket":
                return SmpBackend.create(SmpAlgorithm.TICKET);
            default:
                return null;
        }
    }

    @Override
    public List<String> specs() {
        return List.of("smp-ttas", "smp-ticket");
    }
}
