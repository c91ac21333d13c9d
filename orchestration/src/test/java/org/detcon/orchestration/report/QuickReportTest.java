package org.detcon.orchestration.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickReportTest {

    @TempDir
    Path tmp;

    @Test
    void markdownTableAndSelfContainedHtmlWithOnePlotPerMetric() throws Exception {
        List<QuickReport.Point> pts = List.of(
                new QuickReport.Point("DetCon_B", 0, 0.10, 0.70, 0.20, 0.65),
                new QuickReport.Point("DetCon_B", 50, 0.15, 0.75, 0.30, 0.55),
                new QuickReport.Point("BYOL", 50, 0.12, 0.72, 0.25, 0.60),
                new QuickReport.Point("BYOL", 0, 0.10, 0.70, 0.20, 0.65));
        Path html = QuickReport.write(tmp, "T <&>", pts, Map.of("k", "v"), List.of("finding"));
        String h = Files.readString(html);
        String md = Files.readString(tmp.resolve("report.md"));
        assertTrue(md.contains("| DetCon_B | 50 | 15.0 | 75.0 | 30.0 | 0.550 |"), md);
        assertTrue(md.contains("| BYOL | 50 | 12.0 | 72.0 | 25.0 | 0.600 |"), md);
        assertEquals(4, count(h, "<svg "), "one plot per metric");
        assertEquals(8, count(h, "<polyline "), "one line per method per plot");
        assertTrue(h.contains("T &lt;&amp;&gt;"));
        assertFalse(Pattern.compile("(src|href)=\"").matcher(h).find(), "no external assets");
        assertFalse(h.contains("<script"));
    }

    static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
