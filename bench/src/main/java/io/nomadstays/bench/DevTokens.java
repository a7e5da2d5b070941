package io.nomadstays.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Bearer tokens from the API's development issuer ({@code /dev/token}, demo profile), one per subject, cached. */
final class DevTokens {

    private final Http http;
    private final URI api;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    DevTokens(Http http, URI api) {
        this.http = http;
        this.api = api;
    }

    String of(String subject) throws Exception {
        String cached = tokens.get(subject);
        if (cached != null) {
            return cached;
        }
        URI uri = api.resolve("/dev/token?subject=" + URLEncoder.encode(subject, StandardCharsets.UTF_8));
        String token = Json.read(Http.ok(http.get(uri), "dev token (the API must run with the demo profile)").body()).path("token").asString();
        tokens.put(subject, token);
        return token;
    }
}
