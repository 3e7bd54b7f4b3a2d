package io.ctxlock.api;

/**
 * 128 bytes of padding (two cache lines, against the adjacent-line prefetcher) laid out before the
 * fields of the per-CPU objects that extend it, in the JCTools style: byte fields, because HotSpot
 * lays a superclass's fields before a subclass's, and since JDK 15 it moves a subclass's small field
 * into any gap the superclass leaves (with long padding, the 4 bytes after a compressed-class-pointer
 * header); bytes from offset 12 leave none. Each per-CPU class ends with 128 bytes of its own after
 * its fields (a final class after an abstract one that holds the fields), so that whatever the
 * allocator or the GC puts next to it shares no line with what its CPU writes. {@code PerCpuLayoutTest}
 * checks every such class with JOL.
 *
 * <p>The per-CPU arrays are padded by index: {@link #padded} sizes one with {@code pad} unused
 * elements at each end (at least 128 bytes), and its users index from {@code pad}.
 *
 * <p>Why: each CPU writes its own objects on every lock operation; without the padding two CPUs'
 * objects, allocated side by side, share a cache line and slow each other down (measured: two CPUs
 * of one machine ran kmalloc+kfree slower together than one alone, while two separate machines
 * scaled 2x).
 */
abstract class PerCpuPadding {
    byte p000, p001, p002, p003, p004, p005, p006, p007, p008, p009, p010, p011, p012, p013, p014, p015;
    byte p016, p017, p018, p019, p020, p021, p022, p023, p024, p025, p026, p027, p028, p029, p030, p031;
    byte p032, p033, p034, p035, p036, p037, p038, p039, p040, p041, p042, p043, p044, p045, p046, p047;
    byte p048, p049, p050, p051, p052, p053, p054, p055, p056, p057, p058, p059, p060, p061, p062, p063;
    byte p064, p065, p066, p067, p068, p069, p070, p071, p072, p073, p074, p075, p076, p077, p078, p079;
    byte p080, p081, p082, p083, p084, p085, p086, p087, p088, p089, p090, p091, p092, p093, p094, p095;
    byte p096, p097, p098, p099, p100, p101, p102, p103, p104, p105, p106, p107, p108, p109, p110, p111;
    byte p112, p113, p114, p115, p116, p117, p118, p119, p120, p121, p122, p123, p124, p125, p126, p127;

    /** Unused elements at each end of a per-CPU int or reference array (128 bytes with compressed oops). */
    static final int PAD_4 = 32;
    /** The same for a long array. */
    static final int PAD_8 = 16;
    /** The same for a boolean or byte array. */
    static final int PAD_1 = 128;

    /** The length of a per-CPU array of {@code n} used elements padded by {@code pad} at each end. */
    static int padded(int n, int pad) {
        return n + 2 * pad;
    }
}
