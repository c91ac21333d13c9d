package org.detcon.segmentation.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.detcon.core.store.s3.S3Config;

/**
 * Where {@code s3://} inputs and outputs live, as pipeline options: they travel with the job, so a worker started
 * before anyone configured anything (a TaskManager, a pod) reaches the same store as the client that submitted it,
 * and they show in the Flink dashboard, so they never hold a secret: credentials are named by their source (the
 * AWS default chain on the worker, or a profile, possibly in a given credentials file). An option left unset falls
 * back to the worker's environment ({@link S3Config#fromEnvironment()}). {@link PipelineStores} opens stores with
 * them.
 */
public interface StoreOptions extends PipelineOptions {

    @Description("S3 endpoint for s3:// URIs, e.g. http://minio:9000 (unset: the worker's DETCON_S3_ENDPOINT, else AWS S3).")
    String getS3Endpoint();

    void setS3Endpoint(String value);

    @Description("S3 region (unset: the worker's region settings; us-east-1 with an endpoint).")
    String getS3Region();

    void setS3Region(String value);

    @Description("Path-style S3 addressing (unset: the worker's setting; on with an endpoint).")
    Boolean getS3PathStyle();

    void setS3PathStyle(Boolean value);

    @Description("Where workers take S3 credentials from, never a secret: default (the AWS chain: environment,"
            + " system properties, web identity, container or instance credentials), profile:NAME, or"
            + " profile:NAME@FILE (a credentials file readable by the workers).")
    @Default.String("default")
    String getS3Credentials();

    void setS3Credentials(String value);
}
