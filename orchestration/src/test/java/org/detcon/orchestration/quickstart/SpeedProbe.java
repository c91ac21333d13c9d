package org.detcon.orchestration.quickstart;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.detcon.core.image.Image8;
import org.detcon.core.labelmap.LabelMap;
import org.detcon.orchestration.synth.SceneGenerator;
import org.detcon.trainer.data.Example;
import org.detcon.trainer.train.Method;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpeedProbe {
    @TempDir
    Path tmp;

    @Test
    void speed() throws Exception {
        int size = Integer.getInteger("probe.size", 96);
        List<Example> data = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            SceneGenerator.Scene s = SceneGenerator.draw(0, "train", i, size);
            data.add(Example.partition("k" + i, new Image8(size, size, 3, s.rgb()), new LabelMap(size, size, s.semantic())));
        }
        for (Method m : List.of(Method.DETCON_B, Method.BYOL)) {
            Pretraining.Recipe r = new Pretraining.Recipe(m, size, 32, 100, 2.0, 1.5e-6, 5, 0.99, 1024, 128, 8, 18, 0);
            long t0 = System.nanoTime();
            Pretraining.trainTo(r, data, 2, 0, tmp.resolve("ck" + m), tmp.resolve("bb" + m), null);
            long t1 = System.nanoTime();
            Pretraining.trainTo(r, data, 8, 0, tmp.resolve("ck" + m), tmp.resolve("bb" + m),
                    (k, t, l) -> System.out.println(m + " step " + k + " loss " + l));
            long t2 = System.nanoTime();
            System.out.printf("%s size %d: first 2 steps %.2f s, next 6 steps %.2f s/step%n", m, size, (t1 - t0) / 1e9,
                    (t2 - t1) / 1e9 / 6);
        }
    }
}
