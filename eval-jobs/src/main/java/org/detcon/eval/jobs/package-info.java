/**
 * Directory evaluation jobs for the {@code detcon} CLI: {@link org.detcon.eval.jobs.SegMetricsJob} and
 * {@link org.detcon.eval.jobs.DepthMetricsJob} pair ground-truth and prediction files by relative path and return
 * reports with a text table and a JSON form (fractions in [0, 1], undefined values as null).
 */
package org.detcon.eval.jobs;
