package io.nomadstays.billing;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.nomadstays.support.StripeMock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * charge.dispute.created / charge.dispute.closed: the dispute is read again from Stripe, the ledger
 * gets DISPUTE (-amount) once and DISPUTE_WON (+amount) once when won, and the booking's history
 * tells the nomad and the operator, whatever the order and number of deliveries.
 */
class DisputeIntegrationTests extends PaidBookingTest {

    Paid paid;
    String disputeId;

    @BeforeEach
    void aPaidBookingIsDisputed() {
        paid = bookAndPay(today().plusDays(10), 3);
        disputeId = StripeMock.FAKE.dispute(paid.intentId(), 7500, "fraudulent").get("id").asText();
    }

    void deliver(String eventId, String type) {
        ObjectNode dispute = StripeMock.FAKE.object(disputeId);
        stripeEvents.deliver(StripeMock.event(eventId, type, dispute, null, Instant.now())).expectStatus().isOk();
    }

    List<String> notes(String subject) {
        return ((List<?>) booking(subject, paid.id()).get("events")).stream().map(e -> (String) ((Map<?, ?>) e).get("note")).toList();
    }

    @Test
    void anOpenedDisputeIsRecordedOnceAndBothSidesAreTold() {
        deliver("evt_dispute_created", "charge.dispute.created");
        deliver("evt_dispute_created", "charge.dispute.created");
        // Another event about the same dispute (charge.dispute.created sent again under a new id) records nothing more.
        deliver("evt_dispute_created_again", "charge.dispute.created");

        assertThat(ledger(paid.uuid())).filteredOn(row -> row.startsWith("DISPUTE")).containsExactly("DISPUTE -7500 " + disputeId);
        assertThat(StripeMock.SERVER.findAll(getRequestedFor(urlPathEqualTo("/v1/disputes/" + disputeId)))).hasSize(2);
        assertThat(notes("test:nomad")).filteredOn(n -> n.contains("disputed 7500 USD")).hasSize(1);
        assertThat(notes(manager)).filteredOn(n -> n.contains("disputed 7500 USD") && n.contains("fraudulent")).hasSize(1);
        // The guest sees the dispute among the booking's movements.
        assertThat(((List<?>) booking("test:nomad", paid.id()).get("payments")).stream().map(p -> String.valueOf(((Map<?, ?>) p).get("kind"))).toList()).contains("DISPUTE");
    }

    @Test
    void aWonDisputeGivesTheMoneyBackOnce() {
        deliver("evt_dispute_created", "charge.dispute.created");
        StripeMock.FAKE.closeDispute(disputeId, "won");
        deliver("evt_dispute_closed", "charge.dispute.closed");
        deliver("evt_dispute_closed", "charge.dispute.closed");

        assertThat(ledger(paid.uuid())).filteredOn(row -> row.startsWith("DISPUTE"))
                .containsExactly("DISPUTE -7500 " + disputeId, "DISPUTE_WON 7500 " + disputeId);
        assertThat(notes("test:nomad")).filteredOn(n -> n.contains("decided for the operator")).hasSize(1);
    }

    @Test
    void aClosingEventBeforeTheOpeningOneStillRecordsBoth() {
        StripeMock.FAKE.closeDispute(disputeId, "won");
        deliver("evt_dispute_closed", "charge.dispute.closed");
        deliver("evt_dispute_created", "charge.dispute.created");

        assertThat(ledger(paid.uuid())).filteredOn(row -> row.startsWith("DISPUTE"))
                .containsExactlyInAnyOrder("DISPUTE -7500 " + disputeId, "DISPUTE_WON 7500 " + disputeId);
    }

    @Test
    void aLostDisputeKeepsTheDebit() {
        deliver("evt_dispute_created", "charge.dispute.created");
        StripeMock.FAKE.closeDispute(disputeId, "lost");
        deliver("evt_dispute_closed", "charge.dispute.closed");

        assertThat(ledger(paid.uuid())).filteredOn(row -> row.startsWith("DISPUTE")).containsExactly("DISPUTE -7500 " + disputeId);
        assertThat(notes(manager)).filteredOn(n -> n.contains("decided for the nomad")).hasSize(1);
    }

    @Test
    void aDisputeOfAChargeThatIsNotOursIsAcknowledgedAndIgnored() {
        ObjectNode foreign = StripeMock.fixture("dispute");
        foreign.put("id", "dp_notours");
        foreign.put("charge", "ch_notours");
        foreign.putNull("payment_intent");
        StripeMock.SERVER.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/v1/disputes/dp_notours")).atPriority(1)
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(foreign.toString())));

        stripeEvents.deliver(StripeMock.event("evt_foreign", "charge.dispute.created", foreign, null, Instant.now())).expectStatus().isOk();

        assertThat(db.sql("SELECT outcome FROM stripe_event WHERE id = 'evt_foreign'").map(row -> row.get("outcome", String.class)).one().block())
                .isEqualTo("IGNORED");
        assertThat(ledger(paid.uuid())).noneMatch(row -> row.startsWith("DISPUTE"));
    }

    @Test
    void aDisputeNamingOnlyTheChargeIsFound() {
        String charge = StripeMock.FAKE.object(paid.intentId()).get("latest_charge").asText();
        ObjectNode byCharge = StripeMock.FAKE.object(disputeId);
        byCharge.putNull("payment_intent");
        StripeMock.SERVER.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/v1/disputes/" + disputeId)).atPriority(1)
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(byCharge.toString())));
        assertThat(byCharge.get("charge").asText()).isEqualTo(charge);

        stripeEvents.deliver(StripeMock.event("evt_by_charge", "charge.dispute.created", byCharge, null, Instant.now())).expectStatus().isOk();

        assertThat(ledger(paid.uuid())).contains("DISPUTE -7500 " + disputeId);
    }
}
