package io.nomadstays.booking;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.nomadstays.support.Fixtures;
import io.nomadstays.support.IntegrationTest;
import io.nomadstays.support.StripeMock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Units of an operator that cannot take charges cannot be booked (nomad.payments.require-charges-enabled,
 * on in the tests as in production: Fixtures.operator gives operators a charges-enabled account unless told not to).
 */
class BookingPaymentsGuardIntegrationTests extends IntegrationTest {

    static final String CREATE = "mutation($input: CreateBookingInput!) { createBooking(input: $input) { booking { id status } "
            + "userErrors { field code message } } }";

    Fixtures.Ref operator;
    Fixtures.Ref room;
    Map<String, Object> input;

    @BeforeEach
    void aUnitOfAnOperatorWithoutStripe() {
        StripeMock.reset();
        operator = fixtures.operator("new-coliving", false);
        room = fixtures.unit(operator, fixtures.property(operator, "New Coliving"), "Room 1", true);
        fixtures.user("test:nomad");
        LocalDate in = LocalDate.now(ZoneId.of("Asia/Makassar")).plusDays(10);
        input = Map.of("unitId", room.id(), "checkIn", in.toString(), "checkOut", in.plusDays(3).toString());
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> book() {
        Map<String, Object> response = post("test:nomad", CREATE, Map.of("input", input));
        assertThat(response).doesNotContainKey("errors");
        return (Map<String, Object>) ((Map<String, Object>) response.get("data")).get("createBooking");
    }

    @Test
    void anOperatorWithoutAStripeAccountCannotBeBooked() {
        Map<String, Object> payload = book();
        assertThat(payload.get("booking")).isNull();
        assertThat(payload.get("userErrors").toString()).contains("field=[input, unitId], code=PAYMENTS_NOT_ENABLED");
        assertThat(fixtures.count("booking")).isZero();
        assertThat(fixtures.count("unit_calendar")).isZero();
    }

    @Test
    void anOperatorBecomesBookableWhenStripeEnablesCharges() {
        fixtures.payoutAccount(operator, "acct_1NewColiving", false);
        assertThat(book().get("userErrors").toString()).contains("PAYMENTS_NOT_ENABLED");

        // Stripe finishes verifying the operator and tells us so.
        StripeMock.SERVER.stubFor(get(urlEqualTo("/v1/accounts/acct_1NewColiving")).willReturn(okJson(StripeMock.json(
                StripeMock.account("acct_1NewColiving", true, true, true, List.of())))));
        stripeEvents.deliver(StripeMock.event("evt_enabled_1", "account.updated",
                StripeMock.account("acct_1NewColiving", true, true, true, List.of()), "acct_1NewColiving", Instant.now()))
                .expectStatus().isOk();

        Map<String, Object> payload = book();
        assertThat(payload.get("userErrors")).asList().isEmpty();
        assertThat(((Map<?, ?>) payload.get("booking")).get("status")).isEqualTo("HELD");
    }
}
