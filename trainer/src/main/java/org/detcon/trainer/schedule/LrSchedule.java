package org.detcon.trainer.schedule;

/** A learning rate as a function of the 0-based step, over a run of {@link #totalSteps()} steps. */
public interface LrSchedule {

    /** The learning rate of 0-based step {@code k}. */
    double at(long k);

    long totalSteps();
}
