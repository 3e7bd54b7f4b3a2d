package io.ctxlock.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Outcome;

/** The outcomes every correct backend shares (see {@link NestedHarness}); used through {@code @JCStressMeta}. */
@Outcome(id = "1", expect = ACCEPTABLE, desc = "Interrupt inside the section: trylock failed, reason nested.")
@Outcome(id = "2", expect = ACCEPTABLE, desc = "Interrupt outside the section: trylock acquired a free lock.")
@Outcome(id = "3", expect = FORBIDDEN, desc = "Nested trylock acquired a lock its own CPU held.")
@Outcome(id = "4", expect = FORBIDDEN, desc = "Trylock failed for a reason other than nesting.")
@Outcome(id = "0", expect = FORBIDDEN, desc = "The interrupt was never delivered.")
public class NestedTryLockOutcomes {
}
