package org.detcon.service.http;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.IntSupplier;
import org.detcon.service.jobs.Job;
import org.detcon.service.jobs.JobStatus;
import org.detcon.service.jobs.JobStore;

/**
 * {@code GET /metrics}: the Prometheus client's text format. Jobs by status, queue length, slots and busy slots,
 * seconds per training step and per checkpoint (histograms), step / loss / img/s of running jobs, and the JVM's own
 * metrics.
 */
public final class ServiceMetrics {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Histogram stepSeconds;
    private final Histogram checkpointSeconds;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    public ServiceMetrics(JobStore store, int slots, IntSupplier busySlots) {
        JvmMetrics.builder().register(registry);
        GaugeWithCallback.builder().name("detcon_service_jobs").help("Jobs in the job table by status")
                .labelNames("status").callback(cb -> {
                    Map<JobStatus, Integer> n = new EnumMap<>(JobStatus.class);
                    for (JobStatus s : JobStatus.values()) {
                        n.put(s, 0);
                    }
                    store.list(null, null).forEach(j -> n.merge(j.status(), 1, Integer::sum));
                    n.forEach((s, c) -> cb.call(c, s.name()));
                }).register(registry);
        GaugeWithCallback.builder().name("detcon_service_queue_length").help("Jobs waiting for a slot")
                .callback(cb -> cb.call(store.queue().size())).register(registry);
        GaugeWithCallback.builder().name("detcon_service_slots").help("Slots of this service")
                .callback(cb -> cb.call(slots)).register(registry);
        GaugeWithCallback.builder().name("detcon_service_slots_busy").help("Slots running a job")
                .callback(cb -> cb.call(busySlots.getAsInt())).register(registry);
        GaugeWithCallback.builder().name("detcon_service_job_step").help("Steps done by a running job")
                .labelNames("job", "kind").callback(cb -> running(store, j -> cb.call(j.step(), id(j), j.kind())))
                .register(registry);
        GaugeWithCallback.builder().name("detcon_service_job_loss").help("Last training loss of a running job")
                .labelNames("job", "kind").callback(cb -> running(store, j -> {
                    if (Double.isFinite(j.loss())) {
                        cb.call(j.loss(), id(j), j.kind());
                    }
                })).register(registry);
        GaugeWithCallback.builder().name("detcon_service_job_images_per_second")
                .help("Recent training throughput of a running job").labelNames("job", "kind")
                .callback(cb -> running(store, j -> {
                    if (Double.isFinite(j.imgPerSec())) {
                        cb.call(j.imgPerSec(), id(j), j.kind());
                    }
                })).register(registry);
        stepSeconds = Histogram.builder().name("detcon_service_step_seconds")
                .help("Wall seconds per training step, as the service sees its jobs' progress")
                .classicExponentialUpperBounds(0.01, 2, 16).register(registry);
        checkpointSeconds = Histogram.builder().name("detcon_checkpoint_seconds")
                .help("Wall seconds to write a checkpoint (and prune old ones), as the jobs report them")
                .classicExponentialUpperBounds(0.05, 2, 14).register(registry);
    }

    private static String id(Job j) {
        return Long.toString(j.id());
    }

    private static void running(JobStore store, java.util.function.Consumer<Job> f) {
        store.list(JobStatus.RUNNING, null).forEach(f);
        store.list(JobStatus.CANCELLING, null).forEach(f);
    }

    /** Records a step's duration. */
    public void observeStepSeconds(double s) {
        stepSeconds.observe(s);
    }

    /** Records how long a checkpoint took. */
    public void observeCheckpointSeconds(double s) {
        checkpointSeconds.observe(s);
    }

    public String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    public void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }
}
