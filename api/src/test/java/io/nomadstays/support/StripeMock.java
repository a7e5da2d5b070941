package io.nomadstays.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.nomadstays.infra.stripe.FakeStripe;
import io.nomadstays.payments.StripeApiVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A fake Stripe for the api's integration tests: one WireMock server on a dynamic port for the
 * whole test JVM (the application's {@code nomad.payments.stripe.api-base} points at it, see
 * {@link IntegrationTest}), response bodies built from Stripe's own sample objects
 * ({@code stripe/fixtures3.json}), secrets generated per run, and helpers to read the form
 * parameters the application sent.
 */
public final class StripeMock {

    /** The stateful fake behind the default stubs (customers, payment intents, refunds). */
    public static final FakeStripe FAKE = new FakeStripe();
    public static final WireMockServer SERVER = start();
    public static final String SECRET_KEY = "sk_test_" + random();
    public static final String WEBHOOK_SECRET = "whsec_" + random();
    public static final String CONNECT_WEBHOOK_SECRET = "whsec_" + random();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private StripeMock() {
    }

    private static WireMockServer start() {
        WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort().containerThreads(16).extensions(FAKE));
        server.start();
        FakeStripe.stubDefaults(server);
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        // The first request a cold WireMock serves is slow: take it here, not in a test's Stripe call.
        try {
            java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + server.port() + "/__admin/health")).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return server;
    }

    /** Removes the test's own stubs and the request journal; the default fake stays. */
    public static void reset() {
        SERVER.resetAll();
        FakeStripe.stubDefaults(SERVER);
    }

    private static String random() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public static String baseUrl() {
        return "http://localhost:" + SERVER.port();
    }

    /** A copy of Stripe's sample object of this resource ({@code account}, {@code payment_intent}, ...). */
    public static ObjectNode fixture(String resource) {
        return FakeStripe.fixture(resource);
    }

    /** Stripe's sample account with the id, flags and requirements a test needs. */
    public static ObjectNode account(String id, boolean chargesEnabled, boolean payoutsEnabled, boolean detailsSubmitted,
                                     List<String> currentlyDue) {
        ObjectNode account = fixture("account");
        account.put("id", id);
        account.put("type", "express");
        account.put("charges_enabled", chargesEnabled);
        account.put("payouts_enabled", payoutsEnabled);
        account.put("details_submitted", detailsSubmitted);
        ObjectNode requirements = (ObjectNode) account.get("requirements");
        ArrayNode due = requirements.putArray("currently_due");
        currentlyDue.forEach(due::add);
        requirements.putArray("past_due");
        if (currentlyDue.isEmpty()) {
            requirements.putNull("disabled_reason");
        }
        return account;
    }

    public static ObjectNode accountLink(String url, Instant expiresAt) {
        ObjectNode link = fixture("account_link");
        link.put("url", url);
        link.put("created", Instant.now().getEpochSecond());
        link.put("expires_at", expiresAt.getEpochSecond());
        return link;
    }

    /** Stripe's error body, e.g. {@code api_error} for a 500 or {@code rate_limit_error} for a 429. */
    public static String error(String type, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("type", type).put("message", message);
        return body.toString();
    }

    /** An event of the pinned API version around {@code object}, as Stripe delivers it. */
    public static String event(String id, String type, JsonNode object, String account, Instant created) {
        ObjectNode event = fixture("event");
        event.put("id", id);
        event.put("type", type);
        event.put("api_version", StripeApiVersion.PINNED);
        event.put("created", created.getEpochSecond());
        if (account != null) {
            event.put("account", account);
        }
        ((ObjectNode) event.get("data")).set("object", object);
        return event.toString();
    }

    /** The form parameters of a request the application sent, decoded ({@code capabilities[transfers][requested]}). */
    public static Map<String, String> form(LoggedRequest request) {
        Map<String, String> form = new LinkedHashMap<>();
        String body = request.getBodyAsString();
        if (body == null || body.isEmpty()) {
            return form;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.put(key, value);
        }
        return form;
    }

    public static String json(JsonNode node) {
        return node.toString();
    }
}
