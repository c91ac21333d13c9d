/**
 * The {@code detcon eval coco-metrics} entry point: {@link org.detcon.eval.coco.job.CocoMetricsJob#run} reads an
 * instances file and a results file and returns a {@link org.detcon.eval.coco.job.CocoMetricsResult}.
 */
package org.detcon.eval.coco.job;
