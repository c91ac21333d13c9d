package org.detcon.trainer.run.listener;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.trainer.checkpoint.BackboneExport;
import org.detcon.trainer.run.StepResult;
import org.detcon.trainer.run.TrainingContext;
import org.detcon.trainer.run.TrainingListener;

/**
 * Exports the online backbone ({@link BackboneExport}) into {@code backbone/} when the schedule completes, and into
 * {@code backbones/step-NNNNNNNN/} at each of the given earlier steps (step 0 is the initialisation, exported
 * before the first step), so evaluations can follow a metric along pretraining.
 */
public final class BackboneExporter implements TrainingListener {

    public static final String FINAL = "backbone";
    private final Set<Long> steps;

    public BackboneExporter(Set<Long> steps) {
        this.steps = new TreeSet<>(steps);
    }

    /** Where the export of {@code step} of a run of {@code total} steps lives, relative to the run's output. */
    public static String location(long step, long total) {
        return step == total ? FINAL : String.format(Locale.ROOT, "backbones/step-%08d", step);
    }

    @Override
    public void onTrainingBegin(TrainingContext ctx) throws IOException {
        if (ctx.startStep() == 0 && steps.contains(0L) && ctx.totalSteps() > 0) {
            export(ctx, 0);
        }
    }

    @Override
    public void onStep(TrainingContext ctx, StepResult r) throws IOException {
        if (steps.contains(r.done()) && !ctx.complete(r.done())) {
            export(ctx, r.done());
        }
    }

    @Override
    public void onTrainingEnd(TrainingContext ctx) throws IOException {
        if (ctx.complete(ctx.pretrainer().stepCount())) {
            export(ctx, ctx.totalSteps());
        }
    }

    private static void export(TrainingContext ctx, long step) throws IOException {
        try (ObjectStore dir = ObjectStores.open(ctx.output().uri(location(step, ctx.totalSteps())))) {
            BackboneExport.write(dir, ctx.pretrainer());
        }
    }
}
