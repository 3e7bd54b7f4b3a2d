package io.ctxlock.api;

import io.ctxlock.api.spi.BackendProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Backends by name: the one mapping from a configuration's text to a backend, answered by the
 * {@link BackendProvider}s of the backend modules present ({@code lock-up}: {@code up-*},
 * {@code lock-smp}: {@code smp*}). The providers are looked up on each call (no cache, no static
 * state); a caller that builds many machines keeps the {@link Backend}, which is immutable.
 * Any thread; not for a lock path.
 */
public final class Backends {
    private Backends() {}

    /**
     * The backend named {@code spec}, e.g. {@code "up-stateless"} or {@code "smp-ticket"}.
     *
     * @throws IllegalArgumentException naming the known specs, if no provider knows {@code spec}
     */
    public static Backend named(String spec) {
        Objects.requireNonNull(spec, "spec");
        List<String> known = new ArrayList<>();
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader())) {
            Backend b = p.backend(spec);
            if (b != null) {
                return b;
            }
            known.addAll(p.specs());
        }
        throw new IllegalArgumentException("no backend named '" + spec + "'; known: "
                + (known.isEmpty() ? "none (no backend module such as lock-up or lock-smp is present)" : known));
    }
}
