package org.detcon.bench.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A bounded load check of a trainer service while a job runs ({@code bench/service/load.sh}): rounds of N requests
 * fired at once, alternately {@code GET /v1/jobs/ID} and {@code GET /metrics}, each on its own connection; counts
 * errors (anything but a 200 with a body, or no answer within 30 s) and prints the latency percentiles and the
 * job's status before and after. Exit 1 when any request failed or the job was not running during the check.
 *
 * <pre>java -cp bench/target/classes org.detcon.bench.service.LoadCheck URL TOKEN_FILE JOB_ID [N=200] [ROUNDS=5]</pre>
 */
public final class LoadCheck {

    private LoadCheck() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: LoadCheck URL TOKEN_FILE JOB_ID [N=200] [ROUNDS=5]");
            System.exit(2);
        }
        String base = args[0].replaceAll("/+$", "");
        String token = Files.readString(Path.of(args[1]), StandardCharsets.UTF_8).strip();
        long job = Long.parseLong(args[2]);
        int n = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 5;

        ExecutorService threads = Executors.newFixedThreadPool(n);
        HttpClient http = HttpClient.newBuilder().executor(threads).connectTimeout(Duration.ofSeconds(30)).build();
        String before = status(http, base, token, job);
        List<Double> millis = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String path = i % 2 == 0 ? "/v1/jobs/" + job : "/metrics";
                HttpRequest r = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + token).GET().build();
                long start = System.nanoTime();
                all.add(http.sendAsync(r, HttpResponse.BodyHandlers.ofString()).handle((resp, err) -> {
                    double ms = (System.nanoTime() - start) / 1e6;
                    synchronized (millis) {
                        millis.add(ms);
                        if (err != null) {
                            errors.add(path + ": " + err);
                        } else if (resp.statusCode() != 200 || resp.body().isEmpty()) {
                            errors.add(path + ": HTTP " + resp.statusCode());
                        }
                    }
                    return null;
                }));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        String after = status(http, base, token, job);
        threads.shutdownNow();

        double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "requests %d (%d rounds of %d at once: GET /v1/jobs/%d and GET /metrics)"
                + " in %.1f s%n", sorted.length, rounds, n, job, wall);
        System.out.printf(Locale.ROOT, "errors %d%n", errors.size());
        errors.stream().distinct().limit(10).forEach(e -> System.out.println("  " + e));
        System.out.printf(Locale.ROOT, "latency ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n", percentile(sorted, 50),
                percentile(sorted, 90), percentile(sorted, 99), sorted[sorted.length - 1]);
        System.out.println("job " + job + " before: " + before + ", after: " + after);
        boolean running = before.startsWith("RUNNING") && (after.startsWith("RUNNING") || after.startsWith(
                "SUCCEEDED"));
        System.exit(errors.isEmpty() && running ? 0 : 1);
    }

    /** The nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** "STATUS step S/T". */
    private static String status(HttpClient http, String base, String token, long job) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/jobs/" + job))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode j = new ObjectMapper().readTree(r.body());
        return j.path("status").asText("?") + " step " + j.path("step").asLong() + "/" + j.path("total").asLong();
    }
}
