package org.detcon.segmentation.fh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.detcon.core.labelmap.LabelMap;
import org.junit.jupiter.api.Test;

/** Every committed skimage fixture must be reproduced exactly (same count, same label on every pixel). */
class FhSkimageParityTest {

    @Test
    void exactModeMatchesSkimageOnEveryFixture() {
        List<FhFixtures.Case> cases = FhFixtures.all();
        assertTrue(cases.size() >= 300, "expected the full fixture set, got " + cases.size());
        List<String> failures = new ArrayList<>();
        for (FhFixtures.Case c : cases) {
            LabelMap got = Felzenszwalb.segment(c.input(), c.params());
            String diff = describeDifference(c, got);
            if (diff != null) {
                failures.add(diff);
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + cases.size() + " fixtures differ from skimage:\n"
                    + String.join("\n", failures.subList(0, Math.min(20, failures.size()))));
        }
    }

    @Test
    void fastModeAgreementIsReported() {
        List<FhFixtures.Case> cases = FhFixtures.all();
        int same = 0;
        List<String> differ = new ArrayList<>();
        for (FhFixtures.Case c : cases) {
            LabelMap got = Felzenszwalb.segment(c.input(), c.params(), FhMode.FAST, null);
            if (describeDifference(c, got) == null) {
                same++;
            } else {
                differ.add(c.id());
            }
        }
        System.out.println("FH FAST mode: " + same + " of " + cases.size() + " fixtures identical to skimage"
                + (differ.isEmpty() ? "" : "; differing: " + differ));
        assertTrue(same > cases.size() / 2, "FAST mode should agree on most fixtures, got " + same);
    }

    @Test
    void exactModeProfileCountsPaths() {
        FhProfile prof = new FhProfile();
        for (FhFixtures.Case c : FhFixtures.all()) {
            Felzenszwalb.segment(c.input(), c.params(), FhMode.EXACT, prof);
        }
        assertEquals(FhFixtures.all().size(), prof.calls());
        assertEquals(prof.calls(), prof.introsortCalls() + prof.bucketCalls());
        System.out.println("FH EXACT profile over fixtures: " + prof);
    }

    /** Null when equal, else a message with counts and the first differing pixel. */
    static String describeDifference(FhFixtures.Case c, LabelMap got) {
        int[] exp = c.expected();
        int[] act = got.labels();
        if (got.width() != c.input().width() || got.height() != c.input().height()) {
            return c.id() + ": size " + got.width() + "x" + got.height();
        }
        int first = -1;
        int nDiff = 0;
        for (int i = 0; i < exp.length; i++) {
            if (exp[i] != act[i]) {
                if (first < 0) {
                    first = i;
                }
                nDiff++;
            }
        }
        int segs = got.segmentCount();
        if (first < 0 && segs == c.expectedSegments()) {
            return null;
        }
        StringBuilder sb = new StringBuilder(c.id()).append(": segments java=").append(segs)
                .append(" skimage=").append(c.expectedSegments()).append(", ").append(nDiff)
                .append(" pixels differ");
        if (first >= 0) {
            int w = got.width();
            sb.append(", first at (y=").append(first / w).append(", x=").append(first % w).append(") java=")
                    .append(act[first]).append(" skimage=").append(exp[first]);
        }
        return sb.toString();
    }
}
