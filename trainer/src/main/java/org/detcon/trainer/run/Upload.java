package org.detcon.trainer.run;

/**
 * What a {@link Learner} made of a batch before its step ({@link Learner#upload}): the batch's arrays on the
 * learner's device, on a manager of their own. The loop makes it on its ahead thread while the previous step runs
 * ({@link AheadBatches}) and closes it after the batch's step, or when the run ends or fails first.
 */
public interface Upload extends AutoCloseable {

    /** Nothing uploaded: the learner's step converts the batch itself. */
    Upload NONE = () -> { };

    /** Releases the uploaded arrays. */
    @Override
    void close();
}
