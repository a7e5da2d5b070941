package io.nomadstays.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The load generator's HTTP client: {@link java.net.http.HttpClient} over HTTP/1.1 with kept-alive
 * connections (one per concurrent caller). Only loopback addresses are allowed: the benchmarks
 * never send a request off this machine.
 */
final class Http {

    record Response(int status, byte[] body) {

        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }

        boolean startsWith(String prefix) {
            byte[] p = prefix.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            if (body.length < p.length) {
                return false;
            }
            for (int i = 0; i < p.length; i++) {
                if (body[i] != p[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    static final String JSON = "application/json";
    static final String NDJSON = "application/x-ndjson";

    private final HttpClient client;
    private final Duration timeout;

    Http(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** A URI on this machine, or an exception. */
    static URI loopback(String uri) {
        URI u = URI.create(uri);
        try {
            InetAddress address = InetAddress.getByName(u.getHost());
            if (!address.isLoopbackAddress()) {
                throw new IllegalArgumentException("only loopback addresses are benchmarked, not " + uri);
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host in " + uri, e);
        }
        return u;
    }

    Response post(URI uri, byte[] body, String contentType) throws IOException, InterruptedException {
        return post(uri, body, contentType, Map.of());
    }

    Response post(URI uri, byte[] body, String contentType, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", contentType)
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Response(r.statusCode(), r.body());
    }

    Response send(String method, URI uri, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", JSON).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        }
        HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Response(r.statusCode(), r.body());
    }

    Response get(URI uri) throws IOException, InterruptedException {
        return send("GET", uri, null);
    }

    /** Throws unless the status is 2xx. */
    static Response ok(Response r, String what) {
        if (r.status() / 100 != 2) {
            String text = r.text();
            throw new IllegalStateException(what + " answered " + r.status() + ": " + text.substring(0, Math.min(600, text.length())));
        }
        return r;
    }
}
