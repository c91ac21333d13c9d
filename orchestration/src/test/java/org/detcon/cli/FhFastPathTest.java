package org.detcon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code detcon masks fh} run alone by {@code main} behaves as in the whole command tree. */
class FhFastPathTest {

    @TempDir
    Path dir;

    @Test
    void helpErrorsAndResultsAreThoseOfTheWholeTree() throws Exception {
        Path in = dir.resolve("a.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(23, 17,
                java.awt.image.BufferedImage.TYPE_INT_RGB), "png", in.toFile());
        String[][] cases = {
            {"masks", "fh", "--help"},
            {"masks", "fh", "--scale", "100", in.toString(), dir.resolve("a-fh.png").toString()},
            {"masks", "fh", "--scale", "100", "--nope", in.toString(), dir.resolve("b.png").toString()},
            {"masks", "fh", in.toString(), dir.resolve("c.png").toString()},
            {"masks", "fh", "--scale", "-1", in.toString(), dir.resolve("d.png").toString()},
            {"masks", "fh", "--scale", "100", dir.resolve("missing.png").toString(), dir.resolve("e.png").toString()},
        };
        for (String[] args : cases) {
            CliRunner tree = CliRunner.run(args);
            CommandLine fast = DetconCli.fhCommandLine();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            fast.setOut(new PrintWriter(out, true));
            fast.setErr(new PrintWriter(err, true));
            int code = fast.execute(Arrays.copyOfRange(args, 2, args.length));
            String what = String.join(" ", args);
            assertEquals(tree.exitCode(), code, what);
            assertEquals(tree.out(), out.toString(), what);
            assertEquals(tree.err(), err.toString(), what);
        }
    }
}
