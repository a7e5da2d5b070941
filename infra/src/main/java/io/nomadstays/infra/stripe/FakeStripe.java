package io.nomadstays.infra.stripe;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.node.ObjectNode;

/**
 * The stateful part of the Stripe fake: a WireMock transformer that answers customers, payment
 * intents, refunds (at most the intent's amount in all), payouts (on a connected account:
 * {@code Stripe-Account}) and disputes ({@link #dispute}, read back with GET) with Stripe's sample objects ({@link StripeMock#fixture}) filled from the form
 * we sent, keeps them so a later GET answers the current state, and honours idempotency keys as
 * Stripe does (the same key answers the first response; with other parameters, a 400
 * {@code idempotency_error}). Ids are derived from the key, so retries get the same object.
 * Off-session confirmations decline with Stripe's test payment methods
 * ({@code pm_card_chargeDeclined}, {@code pm_card_authenticationRequired}).
 */
public final class FakeStripe implements ResponseDefinitionTransformerV2 {

    public static final String NAME = "fake-stripe";
    /** The API version of the events the fake sends: the one stripe-java 31.0.0 pins (payments' StripeApiVersion.PINNED). */
    public static final String API_VERSION = "2025-11-17.clover";

    private record Answer(String bodyDigest, int status, String body) {
    }

    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    private final Map<String, ObjectNode> objects = new ConcurrentHashMap<>();
    private volatile java.net.URI webhookUrl;
    private volatile String webhookSecret;

    /**
     * Where {@code POST /_fake/pay/{intent}} delivers the events it causes, signed as Stripe signs
     * them (the demo; tests deliver their own events).
     */
    public void deliverEventsTo(java.net.URI url, String secret) {
        this.webhookUrl = url;
        this.webhookSecret = secret;
    }
    private final Map<String, Answer> idempotent = new ConcurrentHashMap<>();
    private final Map<String, Object> keyLocks = new ConcurrentHashMap<>();
    private final Map<String, Long> refundedByIntent = new ConcurrentHashMap<>();

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    private static final tools.jackson.databind.JsonNode FIXTURES = loadFixtures();

    private static tools.jackson.databind.JsonNode loadFixtures() {
        try (java.io.InputStream in = FakeStripe.class.getResourceAsStream("/stripe/fixtures3.json")) {
            return JSON.readTree(in).get("resources");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A copy of Stripe's published sample object of this resource ({@code account}, {@code payment_intent}, ...). */
    public static ObjectNode fixture(String resource) {
        tools.jackson.databind.JsonNode node = FIXTURES.get(resource);
        if (node == null) {
            throw new IllegalArgumentException("no fixture for " + resource);
        }
        return (ObjectNode) node.deepCopy();
    }

    /**
     * The stubs that route Stripe's paths to this fake, at a low priority so that a test's own stub
     * (a 500, a timeout) wins over them.
     */
    public static void stubDefaults(com.github.tomakehurst.wiremock.WireMockServer server) {
        for (String path : java.util.List.of("/v1/customers", "/v1/payment_intents", "/v1/refunds", "/v1/transfers", "/v1/payouts")) {
            server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(path))
                    .atPriority(10).willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withTransformers(NAME)));
        }
        server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                        com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/_fake/pay/[^/]+"))
                .atPriority(10).willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withTransformers(NAME)));
        server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.any(
                        com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/v1/payment_intents/[^/]+(/cancel)?"))
                .atPriority(10).willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withTransformers(NAME)));
        server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                        com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/v1/(disputes|payouts|refunds)/[^/]+"))
                .atPriority(10).willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withTransformers(NAME)));
    }

    public void clear() {
        objects.clear();
        idempotent.clear();
        keyLocks.clear();
        refundedByIntent.clear();
    }

    /** The object as the fake holds it now (a copy). */
    public ObjectNode object(String id) {
        ObjectNode node = objects.get(id);
        if (node == null) {
            throw new IllegalArgumentException("the fake Stripe has no " + id);
        }
        return node.deepCopy();
    }

    /** What Stripe.js and the bank do in the browser: the intent succeeds with a saved card. */
    public ObjectNode succeed(String intentId, String paymentMethod) {
        return objects.compute(intentId, (id, pi) -> {
            pi.put("status", "succeeded");
            pi.put("amount_received", pi.get("amount").asLong());
            pi.put("payment_method", paymentMethod);
            pi.put("latest_charge", "ch_" + digest(id).substring(0, 24));
            pi.putNull("last_payment_error");
            pi.putNull("next_action");
            return pi;
        }).deepCopy();
    }

    /** The bank asks for 3-D Secure: Stripe.js shows it to the nomad. */
    public ObjectNode requireAction(String intentId) {
        return objects.compute(intentId, (id, pi) -> {
            pi.put("status", "requires_action");
            pi.putObject("next_action").put("type", "use_stripe_sdk");
            return pi;
        }).deepCopy();
    }

    /** The card was declined: the intent wants another payment method. */
    public ObjectNode decline(String intentId, String code, String message) {
        return objects.compute(intentId, (id, pi) -> {
            pi.put("status", "requires_payment_method");
            pi.set("last_payment_error", error("card_error", code, message));
            return pi;
        }).deepCopy();
    }

    /**
     * The nomad's bank disputes a succeeded intent's charge (what Stripe does on a chargeback):
     * answers the dispute, status {@code needs_response}; {@link #closeDispute} decides it.
     */
    public ObjectNode dispute(String intentId, long amount, String reason) {
        ObjectNode pi = objects.get(intentId);
        if (pi == null || pi.get("latest_charge").isNull()) {
            throw new IllegalArgumentException("the fake Stripe has no paid intent " + intentId);
        }
        ObjectNode dispute = fixture("dispute");
        String id = "dp_" + digest(intentId + "dispute" + System.nanoTime()).substring(0, 24);
        dispute.put("id", id);
        dispute.put("amount", amount);
        dispute.put("currency", pi.get("currency").asText());
        dispute.put("charge", pi.get("latest_charge").asText());
        dispute.put("payment_intent", intentId);
        dispute.put("reason", reason);
        dispute.put("status", "needs_response");
        dispute.put("created", Instant.now().getEpochSecond());
        objects.put(id, dispute);
        return dispute.deepCopy();
    }

    /** The bank decided: {@code won} or {@code lost}. */
    public ObjectNode closeDispute(String disputeId, String status) {
        return objects.compute(disputeId, (id, dispute) -> {
            dispute.put("status", status);
            return dispute;
        }).deepCopy();
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        Request request = event.getRequest();
        String path = request.getUrl().split("\\?")[0];
        String method = request.getMethod().getName();
        Map<String, String> form = form(request.getBodyAsString());
        String key = request.containsHeader("Idempotency-Key") ? request.getHeader("Idempotency-Key") : null;
        if (path.startsWith("/_fake/pay/")) {
            return pay(path.substring("/_fake/pay/".length()), form.getOrDefault("outcome", "succeeded"));
        }
        if (method.equals("GET")) {
            String id = path.substring(path.lastIndexOf('/') + 1);
            if (id.startsWith("acct_demo")) {
                // The demo's operators (nomad.demo.fake-payout-accounts): onboarded Express accounts.
                objects.computeIfAbsent(id, FakeStripe::demoAccount);
            }
            ObjectNode found = objects.get(id);
            return found == null ? answer(404, errorBody("invalid_request_error", "resource_missing", "No such object: '" + id + "'"))
                    : answer(200, found.toString());
        }
        if (key != null) {
            // Two requests with one key at once: Stripe lets one through and the other gets its answer (after a 409 and a
            // retry); the fake makes the second wait, so that it never creates the object twice.
            synchronized (keyLocks.computeIfAbsent(path + " " + key, k -> new Object())) {
                return answer(keyed(path, key, form, request));
            }
        }
        return answer(create(path, null, form, request));
    }

    private ResponseDefinition answer(Answer answer) {
        return answer(answer.status(), answer.body());
    }

    private Answer keyed(String path, String key, Map<String, String> form, Request request) {
        Answer first = idempotent.get(path + " " + key);
        if (first != null) {
            return first.bodyDigest().equals(digest(request.getBodyAsString())) ? first
                    : new Answer("", 400, errorBody("idempotency_error", null,
                    "Keys for idempotent requests can only be used with the same parameters they were first used with."));
        }
        return create(path, key, form, request);
    }

    private Answer create(String path, String key, Map<String, String> form, Request request) {
        String seed = key != null ? path + key : path + System.nanoTime();
        Answer answer = switch (path) {
            case "/v1/customers" -> created("customer", "cus_", seed, node -> metadata(node, form));
            case "/v1/payment_intents" -> createIntent(seed, form);
            case "/v1/refunds" -> createRefund(seed, form);
            case "/v1/transfers" -> createTransfer(seed, form);
            case "/v1/payouts" -> createPayout(seed, form, request.containsHeader("Stripe-Account") ? request.getHeader("Stripe-Account") : null);
            default -> path.startsWith("/v1/payment_intents/") && path.endsWith("/cancel") ? cancel(path.split("/")[3])
                    : new Answer("", 404, errorBody("invalid_request_error", "resource_missing", "the fake Stripe does not know " + path));
        };
        if (key != null && answer.status() < 500) {
            idempotent.put(path + " " + key, new Answer(digest(request.getBodyAsString()), answer.status(), answer.body()));
        }
        return answer;
    }

    /**
     * What the browser and the bank would do with an intent, then Stripe's webhook: {@code outcome}
     * succeeded (default), declined or requires_action. For the demo, where no Stripe.js can run.
     */
    private ResponseDefinition pay(String intentId, String outcome) {
        if (!objects.containsKey(intentId)) {
            return answer(404, errorBody("invalid_request_error", "resource_missing", "No such payment_intent: '" + intentId + "'"));
        }
        ObjectNode pi = switch (outcome) {
            case "declined" -> decline(intentId, "card_declined", "Your card was declined.");
            case "requires_action" -> requireAction(intentId);
            default -> succeed(intentId, "pm_card_visa");
        };
        String type = switch (outcome) {
            case "declined" -> "payment_intent.payment_failed";
            case "requires_action" -> "payment_intent.requires_action";
            default -> "payment_intent.succeeded";
        };
        ObjectNode result = JSON.createObjectNode();
        result.set("payment_intent", pi);
        if (webhookUrl != null) {
            result.put("webhook_status", deliver(event(type, pi)));
        }
        return answer(200, result.toString());
    }

    /** An event of the pinned API version around {@code object}, as Stripe sends it. */
    public static String event(String type, ObjectNode object) {
        ObjectNode event = fixture("event");
        event.put("id", "evt_" + digest(type + object.get("id").asText() + System.nanoTime()).substring(0, 24));
        event.put("type", type);
        event.put("api_version", API_VERSION);
        event.put("created", Instant.now().getEpochSecond());
        event.remove("account");
        ((ObjectNode) event.get("data")).set("object", object);
        return event.toString();
    }

    private static ObjectNode demoAccount(String id) {
        ObjectNode account = fixture("account");
        account.put("id", id);
        account.put("type", "express");
        account.put("charges_enabled", true);
        account.put("payouts_enabled", true);
        account.put("details_submitted", true);
        ObjectNode requirements = (ObjectNode) account.get("requirements");
        requirements.putArray("currently_due");
        requirements.putArray("past_due");
        requirements.putNull("disabled_reason");
        return account;
    }

    /** Posts the event with a Stripe-Signature header; answers the HTTP status. */
    private int deliver(String payload) {
        long t = Instant.now().getEpochSecond();
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(webhookSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String v1 = HexFormat.of().formatHex(mac.doFinal((t + "." + payload).getBytes(StandardCharsets.UTF_8)));
            java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(webhookUrl)
                    .header("Content-Type", "application/json; charset=utf-8").header("Stripe-Signature", "t=" + t + ",v1=" + v1)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(payload)).build();
            return java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private Answer created(String resource, String prefix, String seed, java.util.function.Consumer<ObjectNode> fill) {
        ObjectNode node = fixture(resource);
        String id = prefix + digest(seed).substring(0, 24);
        node.put("id", id);
        node.put("created", Instant.now().getEpochSecond());
        node.put("livemode", false);
        fill.accept(node);
        objects.put(id, node);
        return new Answer("", 200, node.toString());
    }

    private Answer createIntent(String seed, Map<String, String> form) {
        Answer made = created("payment_intent", "pi_", seed, pi -> {
            pi.put("amount", Long.parseLong(form.get("amount")));
            pi.put("amount_received", 0);
            pi.put("currency", form.get("currency"));
            pi.put("customer", form.get("customer"));
            pi.put("description", form.get("description"));
            metadata(pi, form);
            pi.put("client_secret", pi.get("id").asText() + "_secret_" + digest(seed + "secret").substring(0, 20));
            if (form.containsKey("application_fee_amount")) {
                pi.put("application_fee_amount", Long.parseLong(form.get("application_fee_amount")));
            } else {
                pi.putNull("application_fee_amount");
            }
            if (form.containsKey("transfer_data[destination]")) {
                pi.putObject("transfer_data").put("destination", form.get("transfer_data[destination]"));
            } else {
                pi.putNull("transfer_data");
            }
            pi.put("setup_future_usage", form.get("setup_future_usage"));
            pi.put("payment_method", form.get("payment_method"));
            pi.putNull("last_payment_error");
            pi.putNull("next_action");
            pi.putNull("latest_charge");
            pi.putNull("canceled_at");
            pi.put("status", "requires_payment_method");
        });
        String id = "pi_" + digest(seed).substring(0, 24);
        if (!"true".equals(form.get("confirm"))) {
            return made;
        }
        String pm = form.get("payment_method");
        if ("pm_card_chargeDeclined".equals(pm) || "pm_card_visa_chargeDeclined".equals(pm)) {
            ObjectNode pi = decline(id, "card_declined", "Your card was declined.");
            return new Answer("", 402, cardError("card_declined", "Your card was declined.", pi));
        }
        if ("pm_card_authenticationRequired".equals(pm)) {
            ObjectNode pi = decline(id, "authentication_required", "Your card was declined. This transaction requires authentication.");
            return new Answer("", 402, cardError("authentication_required", "Your card was declined. This transaction requires authentication.", pi));
        }
        return new Answer("", 200, succeed(id, pm).toString());
    }

    private Answer createRefund(String seed, Map<String, String> form) {
        ObjectNode pi = objects.get(form.get("payment_intent"));
        if (pi == null || !"succeeded".equals(pi.get("status").asText())) {
            return new Answer("", 400, errorBody("invalid_request_error", "charge_not_refundable", "This payment cannot be refunded."));
        }
        long amount = form.containsKey("amount") ? Long.parseLong(form.get("amount")) : pi.get("amount").asLong();
        long refunded = refundedByIntent.getOrDefault(pi.get("id").asText(), 0L);
        if (refunded + amount > pi.get("amount").asLong()) {
            return new Answer("", 400, errorBody("invalid_request_error", "amount_too_large",
                    "Refund amount is greater than the unrefunded amount on this charge."));
        }
        // Stripe counts what was refunded on the charge (amount_refunded); the fake keeps it per intent.
        refundedByIntent.merge(pi.get("id").asText(), amount, Long::sum);
        return created("refund", "re_", seed, refund -> {
            refund.put("amount", amount);
            refund.put("currency", pi.get("currency").asText());
            refund.put("payment_intent", pi.get("id").asText());
            refund.put("charge", pi.get("latest_charge").asText());
            refund.put("status", "succeeded");
            metadata(refund, form);
        });
    }

    /** A transfer to a connected account; with source_transaction, only out of a charge the fake made. */
    private Answer createTransfer(String seed, Map<String, String> form) {
        String source = form.get("source_transaction");
        if (source != null && objects.values().stream().noneMatch(o -> source.equals(o.path("latest_charge").asText(null)))) {
            return new Answer("", 400, errorBody("invalid_request_error", "resource_missing", "No such charge: '" + source + "'"));
        }
        return created("transfer", "tr_", seed, transfer -> {
            transfer.put("amount", Long.parseLong(form.get("amount")));
            transfer.put("currency", form.get("currency"));
            transfer.put("destination", form.get("destination"));
            transfer.put("destination_payment", "py_" + digest(seed + "payment").substring(0, 24));
            transfer.put("source_transaction", source);
            metadata(transfer, form);
        });
    }

    private Answer createPayout(String seed, Map<String, String> form, String account) {
        if (account == null) {
            return new Answer("", 400, errorBody("invalid_request_error", "balance_insufficient",
                    "You have insufficient funds in your Stripe account for this transfer."));
        }
        return created("payout", "po_", seed, payout -> {
            payout.put("amount", Long.parseLong(form.get("amount")));
            payout.put("currency", form.get("currency"));
            payout.put("automatic", false);
            payout.put("status", "pending");
            payout.put("destination", "ba_" + digest(account).substring(0, 24));
            metadata(payout, form);
        });
    }

    private Answer cancel(String id) {
        ObjectNode pi = objects.get(id);
        if (pi == null) {
            return new Answer("", 404, errorBody("invalid_request_error", "resource_missing", "No such payment_intent: '" + id + "'"));
        }
        if ("succeeded".equals(pi.get("status").asText())) {
            return new Answer("", 400, errorBody("invalid_request_error", "payment_intent_unexpected_state",
                    "You cannot cancel this PaymentIntent because it has a status of succeeded."));
        }
        pi.put("status", "canceled");
        pi.put("canceled_at", Instant.now().getEpochSecond());
        return new Answer("", 200, pi.toString());
    }

    private static void metadata(ObjectNode node, Map<String, String> form) {
        ObjectNode metadata = node.putObject("metadata");
        form.forEach((k, v) -> {
            if (k.startsWith("metadata[")) {
                metadata.put(k.substring(9, k.length() - 1), v);
            }
        });
    }

    private static ObjectNode error(String type, String code, String message) {
        ObjectNode error = JSON.createObjectNode();
        error.put("type", type);
        if (code != null) {
            error.put("code", code);
            error.put("decline_code", code.equals("card_declined") ? "generic_decline" : code);
        }
        error.put("message", message);
        return error;
    }

    private static String errorBody(String type, String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.set("error", error(type, code, message));
        return body.toString();
    }

    private static String cardError(String code, String message, ObjectNode intent) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = error("card_error", code, message);
        error.set("payment_intent", intent);
        body.set("error", error);
        return body.toString();
    }

    private static ResponseDefinition answer(int status, String body) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(status).withHeader("Content-Type", "application/json")
                .withHeader("Request-Id", "req_fake" + System.nanoTime()).withBody(body).build();
    }

    static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return form;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            form.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }

    private static String digest(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest((value == null ? "" : value).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
