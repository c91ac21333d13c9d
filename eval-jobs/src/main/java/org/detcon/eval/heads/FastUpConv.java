package org.detcon.eval.heads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Laina et al.'s fast up-convolution: by definition, unpooling (each input pixel at the top-left of a 2×2 cell,
 * zeros elsewhere) followed by a 5×5 convolution (padding 2, no bias); computed, as their "fast" version, without
 * the zeros: output pixel (2i + a, 2j + b) only meets the taps of the 5×5 kernel W of parity (a, b) — rows
 * {0, 2, 4} for a = 0 (input rows i−1, i, i+1), rows {1, 3} for a = 1 (input rows i, i+1) — so the four 3×3, 3×2,
 * 2×3 and 2×2 sub-kernels, embedded in 3×3 kernels (zeros where a parity has no tap), make one 3×3 convolution
 * with 4·C_out outputs, and {@link DepthToSpace} interleaves them. The parameter is W itself, so the two forms are
 * the same function with the same gradient (tested against the definition).
 */
public final class FastUpConv extends AbstractBlock {

    /** 5×5 tap (u·5 + v) → column of the [25, 4·9] selection matrix for parity (a, b), 3×3 position (r, c). */
    private static final float[] SELECT = selection();

    private final int outChannels;
    private final Parameter weight;

    public FastUpConv(int outChannels) {
        this.outChannels = outChannels;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
    }

    private static float[] selection() {
        int[][] rows = {{0, 2, 4}, {-1, 1, 3}}; // 5x5 row of the 3x3 row r, for parity 0 and 1 (-1: no tap)
        float[] s = new float[25 * 36];
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                for (int r = 0; r < 3; r++) {
                    for (int c = 0; c < 3; c++) {
                        int u = rows[a][r];
                        int v = rows[b][c];
                        if (u >= 0 && v >= 0) {
                            s[(u * 5 + v) * 36 + (a * 2 + b) * 9 + r * 3 + c] = 1f;
                        }
                    }
                }
            }
        }
        return s;
    }

    /**
     * The 3×3 kernel [4·C_out, C_in, 3, 3] of the fast form, from the 5×5 kernel [C_out, C_in, 5, 5]. It and every
     * array on the way live in {@code scope} (the caller's step): on the parameter's manager they would stay until
     * the model closes, about 12 MB a step for the depth decoder's four blocks.
     */
    static NDArray fastKernel(NDArray w5, NDManager scope) {
        Shape s = w5.getShape();
        long co = s.get(0);
        long ci = s.get(1);
        NDArray flat = w5.reshape(co * ci, 25);
        flat.attach(scope);
        NDArray sel = scope.create(SELECT, new Shape(25, 36));
        return flat.matMul(sel).reshape(co, ci, 2, 2, 3, 3).transpose(0, 2, 3, 1, 4, 5)
                .reshape(co * 4, ci, 3, 3);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray y = Conv2d.conv2d(x, fastKernel(w, x.getManager()), null, new Shape(1, 1), new Shape(1, 1),
                new Shape(1, 1), 1).singletonOrThrow();
        return new NDList(DepthToSpace.apply(y, 2));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape s = inputs[0];
        return new Shape[] {new Shape(s.get(0), outChannels, s.get(2) * 2, s.get(3) * 2)};
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        weight.setShape(new Shape(outChannels, inputShapes[0].get(1), 5, 5));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    }
}
