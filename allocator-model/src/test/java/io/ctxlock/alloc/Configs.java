package io.ctxlock.alloc;

/** Boots a configuration for tests, on the machine its {@link KernelConfig#machineBuilder()} builds. */
final class Configs {
    private Configs() {}

    static KernelModel boot(KernelConfig config) {
        return KernelModel.boot(config.machineBuilder().build(), config);
    }
}
