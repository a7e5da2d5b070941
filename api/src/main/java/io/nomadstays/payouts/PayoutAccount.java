package io.nomadstays.payouts;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An operator's Stripe Connect account as last read from Stripe. */
public record PayoutAccount(UUID operatorId, String stripeAccountId, boolean chargesEnabled, boolean payoutsEnabled,
                            boolean detailsSubmitted, List<String> requirementsDue, String disabledReason, Instant updatedAt) {
}
