package io.nomadstays.unit;

import static org.assertj.core.api.Assertions.assertThat;

import io.nomadstays.support.Fixtures;
import io.nomadstays.support.IntegrationTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UnitIntegrationTests extends IntegrationTest {

    private static final String UNIT_FIELDS = """
            id stayId name type capacity maxGuests sizeM2 furnished bookingGranularity minStay maxStay amenities status
            pricing { currency nightlyRate { amount currency decimal } monthlyRate { amount decimal } cleaningFee { amount }
                      deposit { amount currency } longStayDiscounts { minNights percentBps } }""";
    private static final String CREATE = "mutation($input: CreateUnitInput!) { createUnit(input: $input) { unit { "
            + UNIT_FIELDS + " } userErrors { field code message } } }";
    private static final String UPDATE = "mutation($input: UpdateUnitInput!) { updateUnit(input: $input) { unit { "
            + UNIT_FIELDS + " } userErrors { field code message } } }";
    private static final String PRICE = "mutation($input: SetUnitPricingInput!) { setUnitPricing(input: $input) { unit { "
            + UNIT_FIELDS + " } userErrors { field code message } } }";
    private static final String PUBLISH = "mutation($id: ID!) { publishUnit(input: {unitId: $id}) { unit { status } userErrors { field code message } } }";
    private static final String UNPUBLISH = "mutation($id: ID!) { unpublishUnit(input: {unitId: $id}) { unit { status } userErrors { field code message } } }";

    private Fixtures.Ref operator;
    private Fixtures.Ref property;
    private String manager;

    @BeforeEach
    void property() {
        operator = fixtures.operator("canggu-surf");
        property = fixtures.property(operator, "Surf & Work Hostel");
        manager = fixtures.staff(operator, "MANAGER");
    }

    @Test
    void aDormIsCreatedAsADraftPricedAndPublished() {
        String unitId = as(manager).document(CREATE)
                .variable("input", Map.of("propertyId", property.id(), "name", "8-bed dorm", "type", "BED", "capacity", 8,
                        "sizeM2", 32.5, "minStay", 7, "maxStay", 180, "amenities", List.of("locker", "air_conditioning")))
                .execute()
                .path("createUnit.userErrors").entityList(Object.class).hasSize(0)
                .path("createUnit.unit.status").entity(String.class).isEqualTo("DRAFT")
                .path("createUnit.unit.capacity").entity(Integer.class).isEqualTo(8)
                .path("createUnit.unit.bookingGranularity").entity(String.class).isEqualTo("NIGHT")
                .path("createUnit.unit.pricing").valueIsNull()
                .path("createUnit.unit.id").entity(String.class).get();

        as(manager).document(PUBLISH).variable("id", unitId).execute()
                .path("publishUnit.userErrors[0].code").entity(String.class).isEqualTo("INVALID_STATE");

        as(manager).document(PRICE).variable("input", Map.of("unitId", unitId, "currency", "IDR",
                        "nightlyRate", 25_000_000L, "monthlyRate", 480_000_000L, "cleaningFee", 5_000_000, "deposit", 150_000_000,
                        "longStayDiscounts", List.of(Map.of("minNights", 28, "percentBps", 1000), Map.of("minNights", 90, "percentBps", 1500))))
                .execute()
                .path("setUnitPricing.userErrors").entityList(Object.class).hasSize(0)
                .path("setUnitPricing.unit.pricing.currency").entity(String.class).isEqualTo("IDR")
                .path("setUnitPricing.unit.pricing.monthlyRate.amount").entity(Long.class).isEqualTo(480_000_000L)
                .path("setUnitPricing.unit.pricing.monthlyRate.decimal").entity(String.class).isEqualTo("4800000.00")
                .path("setUnitPricing.unit.pricing.deposit.currency").entity(String.class).isEqualTo("IDR")
                .path("setUnitPricing.unit.pricing.longStayDiscounts[*].minNights").entityList(Integer.class).containsExactly(28, 90);

        as(manager).document(PUBLISH).variable("id", unitId).execute()
                .path("publishUnit.userErrors").entityList(Object.class).hasSize(0)
                .path("publishUnit.unit.status").entity(String.class).isEqualTo("PUBLISHED");
        // Publishing again is a harmless no-op, so clients may retry.
        as(manager).document(PUBLISH).variable("id", unitId).execute()
                .path("publishUnit.unit.status").entity(String.class).isEqualTo("PUBLISHED");

        anonymous().document("query($id: ID!) { stay(id: $id) { unit { name } property { name } operator { slug } } }")
                .variable("id", unitId).execute()
                .path("stay.unit.name").entity(String.class).isEqualTo("8-bed dorm")
                .path("stay.property.name").entity(String.class).isEqualTo("Surf & Work Hostel")
                .path("stay.operator.slug").entity(String.class).isEqualTo("canggu-surf");

        as(manager).document(UNPUBLISH).variable("id", unitId).execute()
                .path("unpublishUnit.unit.status").entity(String.class).isEqualTo("DRAFT");
        anonymous().document("query($id: ID!) { stay(id: $id) { id } }").variable("id", unitId).execute()
                .path("stay").valueIsNull();

        assertThat(db.sql("SELECT event_type FROM outbox_event ORDER BY id").map(r -> r.get("event_type", String.class))
                .all().collectList().block()).containsExactly("UnitPriced", "UnitPublished", "UnitUnpublished");
    }

    @Test
    void typeDecidesTheDefaultGranularity() {
        as(manager).document(CREATE).variable("input", Map.of("propertyId", property.id(), "name", "Board room", "type", "MEETING_ROOM"))
                .execute().path("createUnit.unit.bookingGranularity").entity(String.class).isEqualTo("HOUR");
        as(manager).document(CREATE).variable("input", Map.of("propertyId", property.id(), "name", "Hot desks", "type", "HOT_DESK", "capacity", 30))
                .execute().path("createUnit.unit.bookingGranularity").entity(String.class).isEqualTo("DAY");
    }

    @Test
    void badUnitInputIsReportedAndNothingIsWritten() {
        var input = new HashMap<String, Object>(Map.of("propertyId", property.id(), "name", "x".repeat(201), "type", "STUDIO",
                "capacity", 0, "maxGuests", 101, "sizeM2", -3.0, "minStay", 30, "maxStay", 7));
        @SuppressWarnings("unchecked")
        var errors = (List<Map<String, Object>>) payload(post(manager, CREATE, Map.of("input", input)), "createUnit").get("userErrors");
        assertThat(errors).extracting(e -> e.get("field") + ":" + e.get("code")).containsExactlyInAnyOrder(
                "[input, name]:TOO_LONG", "[input, capacity]:OUT_OF_RANGE", "[input, maxGuests]:OUT_OF_RANGE",
                "[input, sizeM2]:OUT_OF_RANGE", "[input, maxStay]:OUT_OF_RANGE");
        assertThat(fixtures.count("unit")).isZero();
    }

    @Test
    void updateKeepsMinStayAtMostMaxStay() {
        Fixtures.Ref unit = fixtures.unit(operator, property, "Room 1", false);
        as(manager).document(UPDATE).variable("input", Map.of("id", unit.id(), "maxStay", 10)).execute()
                .path("updateUnit.unit.maxStay").entity(Integer.class).isEqualTo(10);
        as(manager).document(UPDATE).variable("input", Map.of("id", unit.id(), "minStay", 11)).execute()
                .path("updateUnit.unit").valueIsNull()
                .path("updateUnit.userErrors[0].code").entity(String.class).isEqualTo("OUT_OF_RANGE");
        as(manager).document(UPDATE).variable("input", Map.of("id", unit.id(), "name", "Room One", "furnished", false, "sizeM2", 24.0))
                .execute()
                .path("updateUnit.unit.name").entity(String.class).isEqualTo("Room One")
                .path("updateUnit.unit.furnished").entity(Boolean.class).isEqualTo(false)
                .path("updateUnit.unit.sizeM2").entity(Double.class).isEqualTo(24.0)
                .path("updateUnit.unit.maxStay").entity(Integer.class).isEqualTo(10);
    }

    @Test
    void badPricingIsRefusedAndTheOldPriceListStays() {
        Fixtures.Ref unit = fixtures.unit(operator, property, "Room 1", true);

        @SuppressWarnings("unchecked")
        var errors = (List<Map<String, Object>>) payload(post(manager, PRICE, Map.of("input", Map.of("unitId", unit.id(),
                "currency", "USD", "nightlyRate", -1, "deposit", 10_000_000_000_001L,
                "longStayDiscounts", List.of(Map.of("minNights", 28, "percentBps", 500), Map.of("minNights", 28, "percentBps", 9001))))),
                "setUnitPricing").get("userErrors");
        assertThat(errors).extracting(e -> e.get("field") + ":" + e.get("code")).containsExactlyInAnyOrder(
                "[input, nightlyRate]:OUT_OF_RANGE", "[input, deposit]:OUT_OF_RANGE",
                "[input, longStayDiscounts, 1, percentBps]:OUT_OF_RANGE", "[input, longStayDiscounts, 1, minNights]:ALREADY_EXISTS");

        as(manager).document(PRICE).variable("input", Map.of("unitId", unit.id(), "currency", "QQQ", "nightlyRate", 100)).execute()
                .path("setUnitPricing.userErrors[0].code").entity(String.class).isEqualTo("INVALID_CURRENCY")
                .path("setUnitPricing.userErrors[0].field").entityList(String.class).containsExactly("input", "currency");
        as(manager).document(PRICE).variable("input", Map.of("unitId", unit.id(), "currency", "USD")).execute()
                .path("setUnitPricing.userErrors[0].code").entity(String.class).isEqualTo("REQUIRED");
        // A published nightly unit cannot lose every rate it is booked by.
        as(manager).document(PRICE).variable("input", Map.of("unitId", unit.id(), "currency", "USD", "hourlyRate", 100)).execute()
                .path("setUnitPricing.userErrors[0].code").entity(String.class).isEqualTo("INVALID_STATE");

        assertThat(db.sql("SELECT nightly_rate FROM unit_pricing").map(r -> r.get("nightly_rate", Long.class)).one().block())
                .isEqualTo(2500L);
        assertThat(fixtures.count("outbox_event")).isZero();
    }

    @Test
    void unitsOfAPropertyAreAConnection() {
        fixtures.unit(operator, property, "A", true);
        fixtures.unit(operator, property, "B", false);
        fixtures.unit(operator, property, "C", true);

        anonymous().document("query($id: ID!) { property(id: $id) { units(first: 10) { totalCount edges { node { name } } } } }")
                .variable("id", property.id()).execute()
                .path("property.units.totalCount").entity(Integer.class).isEqualTo(2)
                .path("property.units.edges[*].node.name").entityList(String.class).containsExactly("A", "C");
        as(manager).document("query($id: ID!) { property(id: $id) { units(first: 10) { totalCount } } }")
                .variable("id", property.id()).execute()
                .path("property.units.totalCount").entity(Integer.class).isEqualTo(3);
        as(manager).document("{ operator(slug: \"canggu-surf\") { units(status: [DRAFT]) { edges { node { name } } } } }").execute()
                .path("operator.units.edges[*].node.name").entityList(String.class).containsExactly("B");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> payload(Map<String, Object> response, String field) {
        assertThat(response.get("errors")).as("GraphQL errors").isNull();
        return (Map<String, Object>) ((Map<String, Object>) response.get("data")).get(field);
    }
}
