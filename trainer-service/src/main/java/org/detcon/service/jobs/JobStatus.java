package org.detcon.service.jobs;

/** Where a job is in its life. QUEUED and RECOVERING wait for a slot; STARTING, RUNNING and CANCELLING hold one. */
public enum JobStatus {
    QUEUED, STARTING, RUNNING, RECOVERING, CANCELLING, CANCELLED, SUCCEEDED, FAILED;

    /** Waiting for a slot. */
    public boolean waiting() {
        return this == QUEUED || this == RECOVERING;
    }

    /** Holding a slot (a child JVM may be alive). */
    public boolean holdsSlot() {
        return this == STARTING || this == RUNNING || this == CANCELLING;
    }

    /** Finished: nothing more happens unless it is requeued. */
    public boolean terminal() {
        return this == CANCELLED || this == SUCCEEDED || this == FAILED;
    }
}
