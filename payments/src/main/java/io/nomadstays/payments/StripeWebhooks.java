package io.nomadstays.payments;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies Stripe's signature ({@code Stripe-Signature: t=...,v1=...}, HMAC-SHA256 of
 * {@code t + "." + rawBody}) against each configured endpoint secret, with a tolerance on the
 * timestamp against replays, and reads what handlers need from the event.
 */
public final class StripeWebhooks {

    /**
     * A verified event. {@code account}: the connected account it happened on (Connect events), else null.
     * {@code objectId}: the id of {@code data.object}.
     */
    public record VerifiedEvent(String id, String type, String apiVersion, String account, Instant created, String objectId,
                                String objectType) {
    }

    /** The request is not a genuine, current Stripe event for this endpoint: answer 400, change nothing. */
    public static final class InvalidWebhook extends Exception {
        public InvalidWebhook(String message) {
            super(message, null, false, false);
        }
    }

    private final PaymentsProperties.Stripe settings;
    private final Clock clock;

    public StripeWebhooks(PaymentsProperties.Stripe settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    public boolean configured() {
        return !secrets().isEmpty();
    }

    public VerifiedEvent verify(String payload, String signatureHeader) throws InvalidWebhook {
        if (signatureHeader == null || signatureHeader.isBlank()) {
            throw new InvalidWebhook("no Stripe-Signature header");
        }
        if (payload == null || payload.isEmpty()) {
            throw new InvalidWebhook("empty body");
        }
        Event event = null;
        for (String secret : secrets()) {
            try {
                event = Webhook.constructEvent(payload, signatureHeader, secret, settings.webhookTolerance().toSeconds(), clock);
                break;
            } catch (SignatureVerificationException e) {
                // try the next endpoint's secret
            } catch (RuntimeException e) {
                throw new InvalidWebhook("not a Stripe event: " + e.getClass().getSimpleName());
            }
        }
        if (event == null) {
            throw new InvalidWebhook("signature does not match any configured endpoint secret, or is older than "
                    + settings.webhookTolerance());
        }
        if (event.getId() == null || event.getType() == null) {
            throw new InvalidWebhook("event without id or type");
        }
        if (!StripeApiVersion.PINNED.equals(event.getApiVersion())) {
            // Objects of another version may be shaped differently; the endpoint must be created with the
            // pinned version. Stripe retries refused events for three days, time enough to fix the endpoint.
            throw new InvalidWebhook("event " + event.getId() + " has api_version " + event.getApiVersion()
                    + ", this build reads " + StripeApiVersion.PINNED);
        }
        String objectId = null;
        String objectType = null;
        try {
            JsonElement object = JsonParser.parseString(event.getDataObjectDeserializer().getRawJson());
            if (object instanceof JsonObject json) {
                objectId = json.has("id") && json.get("id").isJsonPrimitive() ? json.get("id").getAsString() : null;
                objectType = json.has("object") && json.get("object").isJsonPrimitive() ? json.get("object").getAsString() : null;
            }
        } catch (RuntimeException e) {
            throw new InvalidWebhook("event " + event.getId() + " has no readable data.object");
        }
        Instant created = event.getCreated() == null ? clock.instant() : Instant.ofEpochSecond(event.getCreated());
        return new VerifiedEvent(event.getId(), event.getType(), event.getApiVersion(), event.getAccount(), created, objectId, objectType);
    }

    private List<String> secrets() {
        List<String> secrets = new ArrayList<>(2);
        if (settings.webhookSecret() != null && !settings.webhookSecret().isBlank()) {
            secrets.add(settings.webhookSecret());
        }
        if (settings.connectWebhookSecret() != null && !settings.connectWebhookSecret().isBlank()) {
            secrets.add(settings.connectWebhookSecret());
        }
        return secrets;
    }
}
