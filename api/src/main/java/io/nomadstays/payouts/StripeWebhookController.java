package io.nomadstays.payouts;

import io.nomadstays.payments.PaymentProviderException;
import io.nomadstays.payments.StripeWebhooks;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code POST /webhooks/stripe}: the signature is checked on the raw body before anything is read
 * or written (400 when wrong or missing), then the event is handled once (200, also for types we
 * do not act on, so Stripe stops retrying them). 503 when Stripe cannot be read back or the
 * endpoint has no secret: Stripe retries later.
 */
@RestController
class StripeWebhookController {

    static final String PATH = "/webhooks/stripe";
    private static final Logger log = LoggerFactory.getLogger(StripeWebhookController.class);

    private final StripeWebhooks webhooks;
    private final StripeEvents events;

    StripeWebhookController(StripeWebhooks webhooks, StripeEvents events) {
        this.webhooks = webhooks;
        this.events = events;
    }

    @PostMapping(PATH)
    Mono<ResponseEntity<Map<String, Object>>> receive(@RequestHeader(name = "Stripe-Signature", required = false) String signature,
                                                      @RequestBody(required = false) byte[] body) {
        if (!webhooks.configured()) {
            log.error("a Stripe webhook arrived but no webhook secret is configured (nomad.payments.stripe.webhook-secret)");
            return Mono.just(ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error", "webhooks are not configured")));
        }
        StripeWebhooks.VerifiedEvent event;
        try {
            event = webhooks.verify(body == null ? null : new String(body, StandardCharsets.UTF_8), signature);
        } catch (StripeWebhooks.InvalidWebhook e) {
            log.warn("refused a Stripe webhook: {}", e.getMessage());
            return Mono.just(ResponseEntity.badRequest().body(Map.of("error", "invalid signature or event")));
        }
        return events.handle(event)
                .map(outcome -> {
                    log.info("Stripe event {} {}: {}", event.id(), event.type(), outcome);
                    return ResponseEntity.ok(Map.<String, Object>of("received", true, "outcome", outcome.name()));
                })
                .onErrorResume(PaymentProviderException.class, e -> {
                    log.warn("Stripe event {} {} not handled, Stripe will retry: {}", event.id(), event.type(), e.getMessage());
                    return Mono.just(ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error", "try again later")));
                });
    }
}
