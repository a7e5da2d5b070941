package io.nomadstays.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.net.Webhook;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Signed events accepted and refused, the way Stripe signs them (secrets generated per run). */
class StripeWebhooksTests {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private final String secret = "whsec_" + random();
    private final String connectSecret = "whsec_" + random();
    private final StripeWebhooks webhooks = new StripeWebhooks(new PaymentsProperties.Stripe("sk_test_" + random(), secret,
            connectSecret, "http://localhost:1", Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Duration.ofSeconds(300)),
            Clock.fixed(NOW, ZoneOffset.UTC));

    private static String random() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String event(String apiVersion) {
        return """
                {"id":"evt_1","object":"event","api_version":"%s","created":%d,"account":"acct_9",
                 "type":"account.updated","data":{"object":{"id":"acct_9","object":"account"}}}"""
                .formatted(apiVersion, NOW.getEpochSecond());
    }

    private static String sign(String secret, String payload, Instant at) throws Exception {
        long t = at.getEpochSecond();
        return "t=" + t + ",v1=" + Webhook.Util.computeHmacSha256(secret, t + "." + payload);
    }

    @Test
    void acceptsAnEventSignedWithEitherEndpointSecret() throws Exception {
        String payload = event(StripeApiVersion.PINNED);
        for (String s : new String[] {secret, connectSecret}) {
            StripeWebhooks.VerifiedEvent event = webhooks.verify(payload, sign(s, payload, NOW));
            assertThat(event.id()).isEqualTo("evt_1");
            assertThat(event.type()).isEqualTo("account.updated");
            assertThat(event.account()).isEqualTo("acct_9");
            assertThat(event.objectId()).isEqualTo("acct_9");
            assertThat(event.objectType()).isEqualTo("account");
        }
    }

    @Test
    void refusesWrongSecretsAlteredBodiesOldSignaturesAndMissingHeaders() throws Exception {
        String payload = event(StripeApiVersion.PINNED);
        assertThatThrownBy(() -> webhooks.verify(payload, sign("whsec_other", payload, NOW))).isInstanceOf(StripeWebhooks.InvalidWebhook.class);
        assertThatThrownBy(() -> webhooks.verify(payload.replace("acct_9", "acct_8"), sign(secret, payload, NOW)))
                .isInstanceOf(StripeWebhooks.InvalidWebhook.class);
        assertThatThrownBy(() -> webhooks.verify(payload, sign(secret, payload, NOW.minusSeconds(301))))
                .isInstanceOf(StripeWebhooks.InvalidWebhook.class);
        assertThatThrownBy(() -> webhooks.verify(payload, null)).isInstanceOf(StripeWebhooks.InvalidWebhook.class);
        assertThatThrownBy(() -> webhooks.verify(payload, "garbage")).isInstanceOf(StripeWebhooks.InvalidWebhook.class);
    }

    @Test
    void refusesEventsOfAnotherApiVersion() throws Exception {
        String payload = event("2024-06-20");
        assertThatThrownBy(() -> webhooks.verify(payload, sign(secret, payload, NOW)))
                .isInstanceOf(StripeWebhooks.InvalidWebhook.class).hasMessageContaining("api_version");
    }

    @Test
    void secretsNeverShowInSettingsToString() {
        var settings = new PaymentsProperties.Stripe("sk_test_abc", "whsec_abc", null, "https://api.stripe.com",
                Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Duration.ofSeconds(300));
        assertThat(settings.toString()).doesNotContain("sk_test_abc").doesNotContain("whsec_abc");
    }
}
