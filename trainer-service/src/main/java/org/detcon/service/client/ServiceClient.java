package org.detcon.service.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.detcon.service.security.Tokens;

/** A client of a trainer service's API (the CLI's {@code detcon service ...} and the tests). */
public final class ServiceClient {

    /** Where a client finds the token when no file is given. */
    public static final String TOKEN_ENV = "DETCON_SERVICE_TOKEN";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public ServiceClient(String url, String token) {
        this.base = url.replaceAll("/+$", "");
        this.token = token;
    }

    /** The token from {@code file}, else {@value #TOKEN_ENV}; neither: an {@link IllegalArgumentException}. */
    public static String token(Path file) throws IOException {
        if (file != null) {
            return Tokens.read(file);
        }
        String env = System.getenv(TOKEN_ENV);
        if (env == null || env.isBlank()) {
            throw new IllegalArgumentException("give --token-file FILE (the service's STATE/token) or set "
                    + TOKEN_ENV);
        }
        return env.strip();
    }

    /** A response: status and body. */
    public record Response(int status, String body) {
        public JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    public Response get(String path) throws IOException {
        return send(request(path).GET().build());
    }

    public Response post(String path, JsonNode body) throws IOException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build());
    }

    public Response post(String path) throws IOException {
        return send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private Response send(HttpRequest r) throws IOException {
        try {
            HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(resp.statusCode(), resp.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (java.net.ConnectException e) {
            throw new IOException("cannot reach the service at " + base + ": " + e.getMessage(), e);
        }
    }

    /** Lines of the log from {@code fromLine} as events: each line with its number, then the final status. */
    public interface LogSink {
        void line(long number, String text);

        void status(String status);
    }

    /** Follows a job's log (server-sent events) from {@code fromLine} until the job ends. */
    public void follow(long id, long fromLine, LogSink sink) throws IOException {
        HttpRequest r = request("/v1/jobs/" + id + "/logs?follow=true&from_line=" + fromLine).GET().build();
        try {
            HttpResponse<java.util.stream.Stream<String>> resp = http.send(r, HttpResponse.BodyHandlers.ofLines());
            if (resp.statusCode() != 200) {
                throw new IOException("HTTP " + resp.statusCode());
            }
            long[] id0 = {-1};
            String[] event = {null};
            resp.body().forEach(line -> {
                if (line.startsWith("id: ")) {
                    id0[0] = Long.parseLong(line.substring(4));
                } else if (line.startsWith("event: ")) {
                    event[0] = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    if ("status".equals(event[0])) {
                        sink.status(line.substring(6));
                    } else {
                        sink.line(id0[0], line.substring(6));
                    }
                } else if (line.isEmpty()) {
                    event[0] = null;
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
