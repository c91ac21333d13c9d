package org.detcon.orchestration.report;

import java.util.Locale;

/**
 * The report's wording rule: row A is called ahead of row B on a metric only when A's worst seed beats B's best
 * seed and both have at least two seeds; otherwise there is "no clear difference", stated with the spread.
 */
public final class Comparison {

    private Comparison() {
    }

    /** Whether {@code a} is ahead of {@code b} by the rule (higher or lower is better as given). */
    public static boolean ahead(SeedStats a, SeedStats b, boolean higherIsBetter) {
        if (a.n() < 2 || b.n() < 2) {
            return false;
        }
        return higherIsBetter ? a.min() > b.max() : a.max() < b.min();
    }

    /**
     * One sentence comparing rows {@code a} and {@code b} on {@code metric}, with values shown by {@code fmt}.
     * {@code a} should be the row with the better mean.
     */
    public static String sentence(String metric, String aName, SeedStats a, String bName, SeedStats b,
            boolean higherIsBetter, java.util.function.DoubleFunction<String> fmt) {
        if (a.n() < 2 || b.n() < 2) {
            return String.format(Locale.ROOT, "%s: %s %s vs %s %s, but with fewer than 2 seeds per row no"
                    + " difference can be told from seed noise.", metric, aName, fmt.apply(a.mean()), bName,
                    fmt.apply(b.mean()));
        }
        if (ahead(a, b, higherIsBetter)) {
            return String.format(Locale.ROOT, "%s: %s ahead of %s: its worst seed (%s) beats %s's best (%s);"
                    + " mean %s vs %s (n = %d, %d).", metric, aName, bName,
                    fmt.apply(higherIsBetter ? a.min() : a.max()), bName, fmt.apply(higherIsBetter ? b.max() : b.min()),
                    fmt.apply(a.mean()), fmt.apply(b.mean()), a.n(), b.n());
        }
        return String.format(Locale.ROOT, "%s: no clear difference between %s and %s: %s ± %s (%s to %s) vs %s ± %s"
                + " (%s to %s), the seed ranges overlap (n = %d, %d).", metric, aName, bName, fmt.apply(a.mean()),
                fmt.apply(a.std()), fmt.apply(a.min()), fmt.apply(a.max()), fmt.apply(b.mean()), fmt.apply(b.std()),
                fmt.apply(b.min()), fmt.apply(b.max()), a.n(), b.n());
    }
}
