package io.nomadstays.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdempotencyKeysTests {

    private static final UUID ID = UUID.fromString("0192f6a0-0000-7000-8000-000000000001");

    @Test
    void keysAreDerivedFromOurIdsOperationAndAttempt() {
        assertThat(IdempotencyKeys.of("booking", ID, "first-payment", 1))
                .isEqualTo("nomad:booking:0192f6a0-0000-7000-8000-000000000001:first-payment:1");
        assertThat(IdempotencyKeys.of("booking", ID, "first-payment", 2))
                .isNotEqualTo(IdempotencyKeys.of("booking", ID, "first-payment", 1));
        assertThat(ConnectedAccounts.createKey(ID)).isEqualTo("nomad:operator:" + ID + ":create-account:1");
    }

    @Test
    void aClientKeyGivesTheSameStripeKeyForTheSameCallerAndKeyOnly() {
        String first = IdempotencyKeys.of("operator", ID, "onboarding-link", "user-1", "abc");
        assertThat(IdempotencyKeys.of("operator", ID, "onboarding-link", "user-1", "abc")).isEqualTo(first);
        assertThat(IdempotencyKeys.of("operator", ID, "onboarding-link", "user-2", "abc")).isNotEqualTo(first);
        assertThat(IdempotencyKeys.of("operator", ID, "onboarding-link", "user-1", "abd")).isNotEqualTo(first);
        assertThat(first).startsWith("nomad:operator:" + ID + ":onboarding-link:c-").hasSizeLessThan(255);
    }

    @Test
    void refusesWordsThatWouldMakeKeysAmbiguous() {
        assertThatThrownBy(() -> IdempotencyKeys.of("book:ing", ID, "x", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IdempotencyKeys.of("booking", ID, "x", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
