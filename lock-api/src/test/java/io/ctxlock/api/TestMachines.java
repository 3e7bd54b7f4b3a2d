package io.ctxlock.api;

import io.ctxlock.api.contract.ReferenceBackend;

/** Machines on the reference backend, for lock-api's own tests. */
final class TestMachines {
    private TestMachines() {}

    static Machine up() {
        return Machine.builder().backend(new ReferenceBackend()).build();
    }

    static Machine withCpus(int cpus) {
        return Machine.builder().backend(new ReferenceBackend()).cpus(cpus).build();
    }

    static Machine rt() {
        return Machine.builder().backend(new ReferenceBackend()).preemptRt(true).build();
    }
}
