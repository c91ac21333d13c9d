package org.detcon.trainer.run;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.detcon.core.store.ObjectStore;
import org.detcon.trainer.checkpoint.BackboneExport;
import org.detcon.trainer.checkpoint.Checkpoints;
import org.detcon.trainer.data.BatchAssembler;
import org.detcon.trainer.engine.Torch;
import org.detcon.trainer.parallel.BatchSplit;
import org.detcon.trainer.train.PretrainBatch;
import org.detcon.trainer.train.PretrainConfig;
import org.detcon.trainer.train.Pretrainer;

/**
 * Pretraining as a {@link Learner}: the {@link Pretrainer} fed with view pairs (made by the data source's threads),
 * assembled into arrays on the primary device by {@link #upload} (one batch ahead, in the loop), on a manager that
 * lives until the batch's step is done. Its per-step value is the target EMA decay
 * ({@code ema_tau}, with a target network); it exports the online backbone.
 */
public final class PretrainLearner implements Learner<BatchAssembler.Pair> {

    private final Pretrainer pretrainer;
    private final BatchAssembler assembler;

    public PretrainLearner(PretrainConfig config, BatchSplit split, BatchAssembler assembler) {
        this.pretrainer = new Pretrainer(config, split);
        this.assembler = assembler;
    }

    public Pretrainer pretrainer() {
        return pretrainer;
    }

    @Override
    public StepLoss step(List<BatchAssembler.Pair> batch) {
        try (Upload u = upload(batch)) {
            return step(batch, u);
        }
    }

    /** The batch's views and masks as arrays on the primary device (on a GPU: the host-to-device copy). */
    @Override
    public Upload upload(List<BatchAssembler.Pair> batch) {
        NDManager m = Torch.newManager(pretrainer.split().devices().get(0));
        try {
            return new Uploaded(m, assembler.assemblePairs(batch, m));
        } catch (RuntimeException | Error e) {
            m.close();
            throw e;
        }
    }

    @Override
    public StepLoss step(List<BatchAssembler.Pair> batch, Upload uploaded) {
        if (uploaded instanceof Uploaded u) {
            return StepLoss.of(pretrainer.step(u.batch()));
        }
        return step(batch);
    }

    /** A batch's arrays and the manager that holds them. */
    private record Uploaded(NDManager manager, PretrainBatch batch) implements Upload {
        @Override
        public void close() {
            manager.close();
        }
    }

    @Override
    public double learningRate(long k) {
        return pretrainer.config().learningRate().at(k);
    }

    @Override
    public Map<String, Double> stepValues(long k) {
        return pretrainer.config().ema() == null ? Map.of() : Map.of("ema_tau", pretrainer.config().ema().tau(k));
    }

    @Override
    public void export(ObjectStore dir) throws IOException {
        BackboneExport.write(dir, pretrainer);
    }

    @Override
    public long stepCount() {
        return pretrainer.stepCount();
    }

    @Override
    public String method() {
        return pretrainer.method();
    }

    @Override
    public String configHash() {
        return pretrainer.configHash();
    }

    @Override
    public LinkedHashMap<String, byte[]> checkpointFiles() throws IOException {
        return pretrainer.checkpointFiles();
    }

    @Override
    public void restoreCheckpoint(Checkpoints.Contents files, long step) throws IOException {
        pretrainer.restoreCheckpoint(files, step);
    }

    @Override
    public List<Block> parameterBlocks() {
        return pretrainer.parameterBlocks();
    }

    @Override
    public void close() {
        pretrainer.close();
    }
}
