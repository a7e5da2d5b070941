package io.nomadstays.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nomadstays.graphql.GlobalId;
import io.nomadstays.shared.Ids;
import io.nomadstays.shared.Money;
import io.nomadstays.support.Fixtures;
import io.nomadstays.support.IntegrationTest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The ledger's read side and its append-only guarantee, with entries written by the test. */
class LedgerIntegrationTests extends IntegrationTest {

    static final Instant MARCH = Instant.parse("2027-03-01T00:00:00Z");
    static final Instant APRIL = Instant.parse("2027-04-01T00:00:00Z");

    @Autowired
    Ledger ledger;

    Fixtures.Ref operator;
    String owner;
    String nomad = "test:nomad-ana";
    UUID bookingId;
    String bookingGlobalId;

    @BeforeEach
    void aBookingOfAPayableOperator() {
        operator = fixtures.operator("canggu-coliving");
        owner = fixtures.staff(operator, "OWNER");
        var property = fixtures.property(operator, "Canggu Coliving");
        var room = fixtures.unit(operator, property, "Room 1", true);
        fixtures.user(nomad);
        LocalDate in = LocalDate.now(ZoneId.of("Asia/Makassar")).plusDays(10);
        bookingGlobalId = as(nomad).document("mutation($input: CreateBookingInput!) { createBooking(input: $input) { booking { id } userErrors { code } } }")
                .variable("input", Map.of("unitId", room.id(), "checkIn", in.toString(), "checkOut", in.plusDays(3).toString()))
                .execute().path("createBooking.booking.id").entity(String.class).get();
        bookingId = GlobalId.parse(bookingGlobalId).orElseThrow().uuid();
    }

    void entry(UUID bookingId, String kind, long amount, String currency, String stripeId, Instant at) {
        db.sql("""
                        INSERT INTO ledger_entry (id, operator_id, booking_id, kind, amount, currency, stripe_object_id, occurred_at, note)
                        VALUES (:id, :op, :booking, :kind, :amount, :currency, :stripe, :at, 'test')""")
                .bind("id", Ids.newId()).bind("op", operator.uuid())
                .bind("booking", org.springframework.r2dbc.core.Parameter.fromOrEmpty(bookingId, UUID.class))
                .bind("kind", kind).bind("amount", amount).bind("currency", currency).bind("stripe", stripeId).bind("at", at)
                .then().block();
    }

    static final String PAYMENTS = "query($id: ID!) { booking(id: $id) { payments { kind amount { amount currency } stripeObjectId occurredAt note } } }";

    @Test
    void theGuestSeesWhatTheyPaidAndStaffAlsoSeeTheCommission() {
        entry(bookingId, "CHARGE", 7500, "USD", "ch_1", MARCH);
        entry(bookingId, "APPLICATION_FEE", -750, "USD", "fee_1", MARCH);
        entry(bookingId, "DEPOSIT_HOLD", 30000, "USD", "pi_deposit_1", MARCH.plusSeconds(1));

        as(nomad).document(PAYMENTS).variable("id", bookingGlobalId).execute()
                .path("booking.payments[*].kind").entityList(String.class).containsExactly("CHARGE", "DEPOSIT_HOLD")
                .path("booking.payments[0].amount.amount").entity(Long.class).isEqualTo(7500L)
                .path("booking.payments[0].stripeObjectId").entity(String.class).isEqualTo("ch_1")
                .path("booking.payments[0].occurredAt").entity(String.class).isEqualTo("2027-03-01T00:00:00Z");
        as(fixtures.staff(operator, "VIEWER")).document(PAYMENTS).variable("id", bookingGlobalId).execute()
                .path("booking.payments[*].kind").entityList(String.class).containsExactly("CHARGE", "APPLICATION_FEE", "DEPOSIT_HOLD")
                .path("booking.payments[1].amount.amount").entity(Long.class).isEqualTo(-750L);

        var rival = fixtures.operator("rival-coliving");
        Map<String, Object> response = post(fixtures.staff(rival, "MANAGER"), PAYMENTS, Map.of("id", bookingGlobalId));
        assertThat(((Map<?, ?>) response.get("data")).get("booking")).isNull();
        assertThat(response.toString()).doesNotContain("ch_1");
    }

    static final String BALANCE = "query($from: DateTime!, $to: DateTime!) { operator(slug: \"canggu-coliving\") { balance(from: $from, to: $to) { amount currency } } }";

    @Test
    void theBalanceIsWhatTheOperatorEarnedInThePeriodPerCurrency() {
        entry(bookingId, "CHARGE", 45000, "USD", "ch_a", MARCH.plusSeconds(10));
        entry(bookingId, "APPLICATION_FEE", -4500, "USD", "fee_a", MARCH.plusSeconds(10));
        entry(bookingId, "REFUND", -10000, "USD", "re_a", MARCH.plusSeconds(20));
        entry(bookingId, "FEE_REFUND", 1000, "USD", "fr_a", MARCH.plusSeconds(20));
        entry(bookingId, "DEPOSIT_HOLD", 30000, "USD", "pi_dep", MARCH.plusSeconds(30));
        entry(null, "RENT", 5_000_000, "IDR", "in_rent", APRIL.minusSeconds(1));
        entry(null, "PAYOUT", -20000, "USD", "po_1", MARCH.plusSeconds(40));
        entry(null, "CHARGE", 99999, "USD", "ch_april", APRIL);

        Map<String, Object> vars = Map.of("from", MARCH.toString(), "to", APRIL.toString());
        as(owner).document(BALANCE).variables(vars).execute()
                .path("operator.balance[*].currency").entityList(String.class).containsExactly("IDR", "USD")
                .path("operator.balance[0].amount").entity(Long.class).isEqualTo(5_000_000L)
                .path("operator.balance[1].amount").entity(Long.class).isEqualTo(45000L - 4500 - 10000 + 1000);
        as(fixtures.staff(operator, "MANAGER")).document(BALANCE).variables(vars).execute()
                .path("operator.balance").entityList(Object.class).hasSize(2);

        for (String outsider : new String[] {fixtures.staff(operator, "VIEWER"), nomad, fixtures.staff(fixtures.operator("rival"), "OWNER")}) {
            Map<String, Object> response = post(outsider, BALANCE, vars);
            assertThat(response.toString()).as(outsider).contains("FORBIDDEN").doesNotContain("5000000");
        }
        Map<String, Object> backwards = post(owner, BALANCE, Map.of("from", APRIL.toString(), "to", MARCH.toString()));
        assertThat(backwards.toString()).contains("OUT_OF_RANGE");
        as(owner).document(BALANCE).variables(Map.of("from", "2020-01-01T00:00:00Z", "to", "2020-02-01T00:00:00Z")).execute()
                .path("operator.balance").entityList(Object.class).hasSize(0);
    }

    @Test
    void entriesCanBeAppendedOnceAndNeverChanged() {
        assertThat(ledger.append(operator.uuid(), bookingId, LedgerEntry.Kind.CHARGE, Money.of(7500, "USD"), "ch_once", MARCH, null).block())
                .isTrue();
        assertThat(ledger.append(operator.uuid(), bookingId, LedgerEntry.Kind.CHARGE, Money.of(7500, "USD"), "ch_once", MARCH, null).block())
                .as("a second delivery of the same Stripe object").isFalse();
        assertThat(fixtures.count("ledger_entry")).isEqualTo(1);

        assertThatThrownBy(() -> db.sql("UPDATE ledger_entry SET amount = 1").then().block()).hasMessageContaining("append-only");
        assertThatThrownBy(() -> db.sql("DELETE FROM ledger_entry").then().block()).hasMessageContaining("append-only");
        assertThatThrownBy(() -> ledger.append(operator.uuid(), null, LedgerEntry.Kind.RENT, Money.of(1, "XXY"), "in_bad", MARCH, null).block())
                .as("currencies come from the currency table").isNotNull();
        assertThat(fixtures.count("ledger_entry")).isEqualTo(1);
    }
}
