package io.ctxlock.api.spi;

import io.ctxlock.api.Backend;
import java.util.List;

/**
 * A backend module's names for its backends, so that a configuration can name a backend in text
 * ({@code "up-stateless"}, {@code "smp-ticket"}) and {@link io.ctxlock.api.Backends#named} can
 * build it without depending on the module. Found with {@link java.util.ServiceLoader}: a module
 * {@code provides io.ctxlock.api.spi.BackendProvider} (and lists it in {@code META-INF/services}
 * for the class path). The kernel has no counterpart: this is the model's Kconfig.
 *
 * <p>Thread-safe and stateless; called from any thread, never from a lock path.
 */
public interface BackendProvider {
    /** The backend {@code spec} names, new; or null if this provider does not know the name. */
    Backend backend(String spec);

    /** The specs this provider knows, as shown in an error for an unknown one. */
    List<String> specs();
}
