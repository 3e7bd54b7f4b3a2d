package io.ctxlock.api;

/**
 * 128 bytes of padding (two cache lines, against the adjacent-line prefetcher) laid out before the
 * fields of the per-CPU objects that extend it ({@link Cpu}, {@link LocalTryLock}), the JCTools way
 * (a superclass's longs come first in HotSpot's layout). Since JDK 15 HotSpot fills the 4-byte gap
 * after a compressed-class-pointer header with a subclass's int (it put {@code ownerDepth} there,
 * in front of the padding), so {@code gap} claims it first; {@code PerCpuLayoutTest} checks the
 * layout with JOL.
 * Each CPU writes its own instance on every lock operation; without the padding two CPUs' instances,
 * allocated side by side, share a cache line and slow each other down (measured: two CPUs of one
 * machine ran kmalloc+kfree slower together than one alone, while two separate machines scaled 2x).
 */
abstract class PerCpuPadding {
    @SuppressWarnings("unused")
    private int gap; // the header gap, see above
    @SuppressWarnings("unused")
    private long p0;
    @SuppressWarnings("unused")
    private long p1;
    @SuppressWarnings("unused")
    private long p2;
    @SuppressWarnings("unused")
    private long p3;
    @SuppressWarnings("unused")
    private long p4;
    @SuppressWarnings("unused")
    private long p5;
    @SuppressWarnings("unused")
    private long p6;
    @SuppressWarnings("unused")
    private long p7;
    @SuppressWarnings("unused")
    private long p8;
    @SuppressWarnings("unused")
    private long p9;
    @SuppressWarnings("unused")
    private long p10;
    @SuppressWarnings("unused")
    private long p11;
    @SuppressWarnings("unused")
    private long p12;
    @SuppressWarnings("unused")
    private long p13;
    @SuppressWarnings("unused")
    private long p14;
    @SuppressWarnings("unused")
    private long p15;
}
