package org.detcon.segmentation.pipeline;

import org.apache.beam.sdk.values.TupleTag;
import org.detcon.core.shard.DeadLetter;
import org.detcon.core.shard.ShardInfo;
import org.detcon.core.shard.ShardSample;

/** The tagged outputs of the mask pipeline's transforms. */
public final class MaskTags {

    /** Inputs listed by {@link ListInputs}. */
    public static final TupleTag<InputItem> ITEMS = new TupleTag<>() { };
    /** Samples with their mask sets, from {@link ComputeMasks}. */
    public static final TupleTag<ShardSample> SAMPLES = new TupleTag<>() { };
    /** Published shards, from {@link WriteShards}. */
    public static final TupleTag<ShardInfo> SHARDS = new TupleTag<>() { };
    /** Rejected inputs with their reasons, from every stage. */
    public static final TupleTag<DeadLetter> DEAD = new TupleTag<>() { };

    private MaskTags() {
    }
}
