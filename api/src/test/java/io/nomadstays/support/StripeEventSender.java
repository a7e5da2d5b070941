package io.nomadstays.support;

import com.stripe.net.Webhook;
import java.security.NoSuchAlgorithmException;
import java.security.InvalidKeyException;
import java.time.Duration;
import java.time.Instant;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Delivers events to the real {@code POST /webhooks/stripe} the way Stripe does: the raw body with
 * {@code Stripe-Signature: t=<unix time>,v1=<HMAC-SHA256 of "t.body" with the endpoint secret>}.
 */
public final class StripeEventSender {

    private final WebTestClient web;

    StripeEventSender(WebTestClient web) {
        this.web = web;
    }

    public static String signature(String secret, String payload, Instant at) {
        long t = at.getEpochSecond();
        try {
            return "t=" + t + ",v1=" + Webhook.Util.computeHmacSha256(secret, t + "." + payload);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signed now with the platform endpoint's secret. */
    public WebTestClient.ResponseSpec deliver(String payload) {
        return deliver(payload, signature(StripeMock.WEBHOOK_SECRET, payload, Instant.now()));
    }

    /** With any Stripe-Signature header, or none when null. */
    public WebTestClient.ResponseSpec deliver(String payload, String signatureHeader) {
        var request = web.mutate().responseTimeout(Duration.ofSeconds(30)).build()
                .post().uri("/webhooks/stripe").header("Content-Type", "application/json; charset=utf-8");
        if (signatureHeader != null) {
            request = request.header("Stripe-Signature", signatureHeader);
        }
        return request.bodyValue(payload).exchange();
    }
}
