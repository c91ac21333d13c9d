package org.detcon.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.detcon.core.image.Image8;
import org.detcon.core.labelmap.LabelMap;
import org.detcon.trainer.TinyConfigs;
import org.detcon.trainer.engine.Torch;
import org.detcon.trainer.masks.MaskCandidates;
import org.detcon.trainer.train.Method;
import org.detcon.trainer.train.PretrainBatch;
import org.detcon.trainer.train.PretrainConfig;
import org.junit.jupiter.api.Test;

class BatchAssemblerTest {

    static Image8 image(int w, int h, long seed) {
        Random r = new Random(seed);
        byte[] p = new byte[w * h * 3];
        r.nextBytes(p);
        return new Image8(w, h, 3, p);
    }

    /** Vertical stripes of labels 10, 11, 12 (sparse ids on purpose). */
    static LabelMap stripes(int w, int h) {
        int[] l = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                l[y * w + x] = 10 + x * 3 / w;
            }
        }
        return new LabelMap(w, h, l);
    }

    static List<Example> data() {
        List<Example> d = new ArrayList<>();
        d.add(Example.partition("a", image(96, 80, 1), stripes(96, 80)));
        d.add(Example.grid("b", image(80, 96, 2), 5));
        int[] left = new int[90 * 70];
        int[] all = new int[90 * 70];
        Arrays.fill(all, 1);
        for (int i = 0; i < left.length; i++) {
            left[i] = (i % 90) < 45 ? 1 : 0;
        }
        d.add(Example.overlapping("c", image(90, 70, 3), List.of(new LabelMap(90, 70, left),
                new LabelMap(90, 70, all))));
        d.add(Example.partition("d", image(70, 70, 4), stripes(70, 70)));
        return d;
    }

    @Test
    void assemblyIsSeededAndMasksComeFromTheViews() {
        PretrainConfig cfg = TinyConfigs.of(Method.DETCON_B);
        BatchAssembler a = new BatchAssembler(cfg, 7);
        Example e = data().get(0);
        BatchAssembler.Pair p = a.make(e, 3, 1);
        BatchAssembler.Pair q = new BatchAssembler(cfg, 7).make(e, 3, 1);
        assertArrayEquals(p.view1().pixels(), q.view1().pixels(), 0f);
        assertArrayEquals(p.masks2().ids(), q.masks2().ids());
        assertTrue(!Arrays.equals(p.view1().pixels(), a.make(e, 4, 1).view1().pixels()), "new step, new views");
        MaskCandidates c1 = MaskCandidates.fromLabelMap(p.view1().labelMaps().get(0), cfg.masks());
        for (int id : p.masks1().ids()) {
            assertTrue(Arrays.stream(c1.ids()).anyMatch(x -> x == id), "sampled id exists in view 1: " + id);
            assertTrue(id >= 10 && id <= 12);
        }
        assertEquals(cfg.masks().masksPerView(), p.masks1().count());
        try (NDManager m = Torch.newManager()) {
            PretrainBatch b = a.assemble(data(), 0, m);
            assertEquals(new Shape(4, 3, 64, 64), b.view1().getShape());
            assertEquals(new Shape(4, 4), b.masks1().ids().getShape());
            assertEquals(new Shape(4, 4, 4), b.masks2().weights().getShape());
        }
        BatchAssembler simclr = new BatchAssembler(TinyConfigs.of(Method.SIMCLR), 7);
        BatchAssembler.Pair sp = simclr.make(e, 0, 0);
        assertArrayEquals(new int[TinyConfigs.MASKS], sp.masks1().ids()); // all draws are the global mask 0
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f, 0.25f}, sp.masks2().weights()[0], 0f);
        BatchAssembler byol = new BatchAssembler(TinyConfigs.of(Method.BYOL), 7);
        assertNull(byol.make(e, 0, 0).masks1());
    }
}
