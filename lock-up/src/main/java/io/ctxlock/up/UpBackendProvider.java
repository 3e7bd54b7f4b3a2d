package io.ctxlock.up;

import io.ctxlock.api.Backend;
import io.ctxlock.api.spi.BackendProvider;
import java.util.List;

/**
 * The UP backends by name, for {@link io.ctxlock.api.Backends#named}: {@code up-stateless},
 * {@code up-debug}, {@code up-stateful}, {@code up-any-context-class}, {@code up-shared-word}
 * (every class shares a word) and {@code up-shared-word:CLASS[,CLASS...]} ({@link UpBackend#sharedWord}).
 * Stateless; any thread.
 */
public final class UpBackendProvider implements BackendProvider {
    private static final String SHARED = "up-shared-word";

    /** For {@link java.util.ServiceLoader}. */
    public UpBackendProvider() {}

    @Override
    public Backend backend(String spec) {
        switch (spec) {
            case "up-stateless":
                return UpBackend.create(UpMode.STATELESS);
            case "up-debug":
                return UpBackend.create(UpMode.DEBUG);
            case "up-stateful":
                return UpBackend.create(UpMode.STATEFUL);
            case "up-any-context-class":
                return UpBackend.create(UpMode.ANY_CONTEXT_CLASS);
            case SHARED:
                return UpBackend.create(UpMode.SHARED_WORD);
            default:
                if (spec.startsWith(SHARED + ":") && spec.length() > SHARED.length() + 1) {
                    return UpBackend.sharedWord(spec.substring(SHARED.length() + 1).split(","));
                }
                return null;
        }
    }

    @Override
    public List<String> specs() {
        return List.of("up-stateless", "up-debug", "up-stateful", "up-any-context-class", SHARED,
                SHARED + ":CLASS[,CLASS...]");
    }
}
