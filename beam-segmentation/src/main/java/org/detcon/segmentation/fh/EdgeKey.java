package org.detcon.segmentation.fh;

/**
 * An edge as one long: {@code (bits(cost) >>> 25) << 26 | slot}, i.e. the cost truncated to 38 bits (sign,
 * exponent and 27 mantissa bits of a non-negative double, which order like the value) above the 26-bit slot
 * ({@link EdgeCosts}; slots increase with the edge index). Sorting these longs gives the stable (truncated cost,
 * edge index) order; only runs of equal truncated costs need the exact costs to be put in (cost, edge index) order.
 *
 * <p>The merge can decide {@code cost < (double) thr} from the truncated cost alone: thr is a float (24-bit
 * significand), so whenever it lies in the binade of the cost it is a multiple of the 27-bit grid there, and
 * {@code c' <= c < c' + ulp27} then gives {@code c < thr <=> c' < thr} (a thr in another binade is below or above
 * both). The exact cost is needed only to update a threshold when {@code (float)(c' + k/size)} and
 * {@code (float)(c' + ulp27 + k/size)} differ.
 */
final class EdgeKey {

    static final int SLOT_BITS = 26;
    static final long SLOT_MASK = (1L << SLOT_BITS) - 1;
    static final int DROP_BITS = 25;

    private EdgeKey() {
    }

    /** Whether every slot of a W×H image fits in {@link #SLOT_BITS} bits (4·W·H ≤ 2^26). */
    static boolean fits(int width, int height) {
        return 4L * width * height <= (1L << SLOT_BITS);
    }

    static long of(double cost, int slot) {
        return (Double.doubleToRawLongBits(cost) >>> DROP_BITS) << SLOT_BITS | slot;
    }

    static int slot(long e) {
        return (int) (e & SLOT_MASK);
    }

    /** The truncated cost, comparable as a long. */
    static long key(long e) {
        return e >>> SLOT_BITS;
    }

    /** The truncated cost as a double (at most the exact cost). */
    static double truncatedCost(long e) {
        return Double.longBitsToDouble((e >>> SLOT_BITS) << DROP_BITS);
    }

    /**
     * Exclusive upper bound of the exact costs with this truncated cost: the next value on the 27-bit grid
     * ({@code truncatedCost + ulp}, exact; a carry into the exponent gives the next binade's first value).
     */
    static double truncatedCostUpper(long e) {
        return Double.longBitsToDouble(((e >>> SLOT_BITS) + 1) << DROP_BITS);
    }
}
