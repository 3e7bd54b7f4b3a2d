package io.ctxlock.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Outcome;

/** Outcomes of the allocator trials ({@link AllocatorHarness}); used through {@code @JCStressMeta}. */
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "All accounted for; the NMI got an object.")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "All accounted for; the NMI's trylocks failed, it got none.")
@Outcome(expect = FORBIDDEN, desc = "Memory not accounted for after the deferred work.")
public class AllocatorOutcomes {
}
