package io.ctxlock.alloc;

/**
 * A caller handed the allocator something it cannot free, reported as SLUB's and the page
 * allocator's debug checks do ({@code mm/slub.c: free_consistency_checks()},
 * {@code mm/page_alloc.c: bad_page()}). Nothing is changed; the report is also in the kernel log.
 */
public class BadFreeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadFreeException(String message) {
        super(message);
    }

    /** kfree of an address that no slab ever handed out ("Invalid object pointer"). */
    public static final class InvalidPointer extends BadFreeException {
        private static final long serialVersionUID = 1L;

        InvalidPointer(String m) {
            super(m);
        }
    }

    /** kfree of an object that is already free ("Object already free"). */
    public static final class DoubleFree extends BadFreeException {
        private static final long serialVersionUID = 1L;

        DoubleFree(String m) {
            super(m);
        }
    }

    /** kfree of a pointer into the middle of an object ("Invalid object pointer", not at an object start). */
    public static final class InteriorPointer extends BadFreeException {
        private static final long serialVersionUID = 1L;

        InteriorPointer(String m) {
            super(m);
        }
    }

    /** free_pages of a block with the wrong order, or of pages the caller does not own ("Bad page state"). */
    public static final class BadPage extends BadFreeException {
        private static final long serialVersionUID = 1L;

        BadPage(String m) {
            super(m);
        }
    }
}
