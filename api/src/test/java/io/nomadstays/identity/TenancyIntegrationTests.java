package io.nomadstays.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.nomadstays.support.Fixtures;
import io.nomadstays.support.IntegrationTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Operator A's staff, nomads and anonymous callers against operator B's data: no draft is
 * readable by any route, and nothing of B changes whatever IDs are sent.
 */
class TenancyIntegrationTests extends IntegrationTest {

    private Fixtures.Ref operatorA;
    private Fixtures.Ref operatorB;
    private String ownerOfA;
    private String managerOfB;
    private String viewerOfB;
    private Fixtures.Ref draftPropertyOfB;
    private Fixtures.Ref draftOfB;
    private Fixtures.Ref listedPropertyOfB;
    private Fixtures.Ref publishedOfB;

    @BeforeEach
    void twoTenants() {
        operatorA = fixtures.operator("operator-a");
        operatorB = fixtures.operator("operator-b");
        ownerOfA = fixtures.staff(operatorA, "OWNER");
        managerOfB = fixtures.staff(operatorB, "MANAGER");
        viewerOfB = fixtures.staff(operatorB, "VIEWER");
        fixtures.user("test:nomad");
        draftPropertyOfB = fixtures.property(operatorB, "B's secret new place");
        draftOfB = fixtures.unit(operatorB, draftPropertyOfB, "B's draft", false);
        listedPropertyOfB = fixtures.property(operatorB, "B's listed place");
        publishedOfB = fixtures.unit(operatorB, listedPropertyOfB, "B's published", true);
    }

    @Test
    void draftsAreInvisibleToEveryoneButTheirOperatorsStaff() {
        for (String outsider : new String[] {null, "test:nomad", ownerOfA}) {
            var query = "query($unit: ID!, $property: ID!) { stay(id: $unit) { id } node(id: $property) { id } }";
            Map<String, Object> response = post(outsider, query, Map.of("unit", draftOfB.id(), "property", draftPropertyOfB.id()));
            @SuppressWarnings("unchecked")
            var data = (Map<String, Object>) response.get("data");
            assertThat(data.get("stay")).as("stay for %s", outsider).isNull();
            assertThat(data.get("node")).as("node for %s", outsider).isNull();

            Map<String, Object> viaProperty = post(outsider, "query($id: ID!) { property(id: $id) { name } }",
                    Map.of("id", draftPropertyOfB.id()));
            assertThat(((Map<?, ?>) viaProperty.get("data")).get("property")).isNull();

            Map<String, Object> viaOperator = post(outsider, """
                    { operator(slug: "operator-b") { units(first: 50, status: [DRAFT, PUBLISHED]) { totalCount edges { node { name } } }
                      properties { totalCount edges { node { name units { totalCount } } } } } }""", Map.of());
            assertThat(viaOperator.toString()).doesNotContain("B's draft").doesNotContain("B's secret new place")
                    .contains("B's published").contains("B's listed place");
        }

        as(viewerOfB).document("query($id: ID!) { stay(id: $id) { unit { name status } } }").variable("id", draftOfB.id()).execute()
                .path("stay.unit.status").entity(String.class).isEqualTo("DRAFT");
        as(viewerOfB).document("{ operator(slug: \"operator-b\") { units { totalCount } properties { totalCount } } }").execute()
                .path("operator.units.totalCount").entity(Integer.class).isEqualTo(2)
                .path("operator.properties.totalCount").entity(Integer.class).isEqualTo(2);
    }

    @Test
    void staffOfAnotherOperatorChangeNothingWhateverIdsTheySend() {
        java.util.UUID feedOfB = io.nomadstays.shared.Ids.newId();
        db.sql("INSERT INTO calendar_feed (id, operator_id, unit_id, url, name) VALUES (:id, :op, :unit, 'https://example.com/b.ics', 'B')")
                .bind("id", feedOfB).bind("op", operatorB.uuid()).bind("unit", publishedOfB.uuid()).then().block();
        String feedIdOfB = io.nomadstays.graphql.GlobalId.encode(io.nomadstays.graphql.GlobalId.Type.CALENDAR_FEED, feedOfB);
        String snapshot = snapshot();
        var attempts = List.of(
                Map.of("q", "mutation($id: ID!) { updateProperty(input: {id: $id, name: \"pwned\"}) { userErrors { code } } }",
                        "id", listedPropertyOfB.id()),
                Map.of("q", "mutation($id: ID!) { updateProperty(input: {id: $id, name: \"pwned\"}) { userErrors { code } } }",
                        "id", draftPropertyOfB.id()),
                Map.of("q", "mutation($id: ID!) { createProperty(input: {operatorId: $id, name: \"x\", address: {line: \"l\", city: \"c\", countryCode: \"US\"}, location: {lat: 1, lon: 1}, timeZone: \"UTC\"}) { userErrors { code } } }",
                        "id", operatorB.id()),
                Map.of("q", "mutation($id: ID!) { createUnit(input: {propertyId: $id, name: \"x\", type: BED}) { userErrors { code } } }",
                        "id", listedPropertyOfB.id()),
                Map.of("q", "mutation($id: ID!) { updateUnit(input: {id: $id, name: \"pwned\"}) { userErrors { code } } }",
                        "id", publishedOfB.id()),
                Map.of("q", "mutation($id: ID!) { updateUnit(input: {id: $id, name: \"pwned\"}) { userErrors { code } } }",
                        "id", draftOfB.id()),
                Map.of("q", "mutation($id: ID!) { setUnitPricing(input: {unitId: $id, currency: \"USD\", nightlyRate: 1}) { userErrors { code } } }",
                        "id", publishedOfB.id()),
                Map.of("q", "mutation($id: ID!) { publishUnit(input: {unitId: $id}) { userErrors { code } } }", "id", draftOfB.id()),
                Map.of("q", "mutation($id: ID!) { unpublishUnit(input: {unitId: $id}) { userErrors { code } } }", "id", publishedOfB.id()),
                Map.of("q", "mutation($id: ID!) { recordSpeedTest(input: {propertyId: $id, downloadMbps: 1, uploadMbps: 1}) { userErrors { code } } }",
                        "id", listedPropertyOfB.id()),
                Map.of("q", "mutation($id: ID!) { addCalendarFeed(input: {unitId: $id, url: \"https://evil.example/x.ics\", name: \"x\"}) { userErrors { code } } }",
                        "id", publishedOfB.id()),
                Map.of("q", "mutation($id: ID!) { addCalendarFeed(input: {unitId: $id, url: \"https://evil.example/x.ics\", name: \"x\"}) { userErrors { code } } }",
                        "id", draftOfB.id()),
                Map.of("q", "mutation($id: ID!) { syncCalendarFeed(input: {feedId: $id}) { userErrors { code } } }", "id", feedIdOfB),
                Map.of("q", "mutation($id: ID!) { removeCalendarFeed(input: {feedId: $id}) { userErrors { code } } }", "id", feedIdOfB),
                Map.of("q", "mutation($id: ID!) { rotateIcalExportUrl(input: {unitId: $id}) { userErrors { code } } }", "id", publishedOfB.id()),
                Map.of("q", "mutation($id: ID!) { rotateIcalExportUrl(input: {unitId: $id}) { userErrors { code } } }", "id", draftOfB.id()),
                Map.of("q", "mutation($id: ID!) { startPayoutOnboarding(input: {operatorId: $id, returnUrl: \"https://evil.example/r\", "
                        + "refreshUrl: \"https://evil.example/r\"}) { onboardingUrl userErrors { code } } }", "id", operatorB.id()));

        for (var attempt : attempts) {
            for (String caller : new String[] {ownerOfA, "test:nomad", viewerOfB, null}) {
                Map<String, Object> response = post(caller, attempt.get("q"), Map.of("id", attempt.get("id")));
                assertThat(response.get("errors")).as("%s by %s", attempt.get("q"), caller).isNull();
                String expected = caller == null ? "UNAUTHENTICATED" : "(FORBIDDEN|NOT_FOUND)";
                assertThat(response.toString()).as("%s by %s", attempt.get("q"), caller).containsPattern("code=" + expected);
            }
        }
        assertThat(snapshot()).isEqualTo(snapshot);
    }

    @Test
    void aDraftOfAnotherTenantIsNotFoundWhileAListedOneIsForbidden() {
        as(ownerOfA).document("mutation($id: ID!) { updateUnit(input: {id: $id, name: \"x\"}) { userErrors { code } } }")
                .variable("id", draftOfB.id()).execute()
                .path("updateUnit.userErrors[0].code").entity(String.class).isEqualTo("NOT_FOUND");
        as(ownerOfA).document("mutation($id: ID!) { updateUnit(input: {id: $id, name: \"x\"}) { userErrors { code } } }")
                .variable("id", publishedOfB.id()).execute()
                .path("updateUnit.userErrors[0].code").entity(String.class).isEqualTo("FORBIDDEN");
    }

    @Test
    void ownStaffWithTheRightRoleMayChangeTheirUnits() {
        as(managerOfB).document("mutation($id: ID!) { updateUnit(input: {id: $id, name: \"Renamed\"}) { unit { name } userErrors { code } } }")
                .variable("id", draftOfB.id()).execute()
                .path("updateUnit.unit.name").entity(String.class).isEqualTo("Renamed");
    }

    /** Everything operator B owns, as text, to compare before and after. */
    private String snapshot() {
        return db.sql("""
                SELECT (SELECT json_agg(p ORDER BY id)::text FROM property p) || (SELECT json_agg(u ORDER BY id)::text FROM unit u)
                    || (SELECT json_agg(x ORDER BY unit_id)::text FROM unit_pricing x)
                    || coalesce((SELECT json_agg(s)::text FROM speed_test s), '')
                    || coalesce((SELECT json_agg(f ORDER BY id)::text FROM calendar_feed f), '')
                    || coalesce((SELECT json_agg(a ORDER BY operator_id)::text FROM payout_account a), '') AS everything""")
                .map(r -> r.get("everything", String.class)).one().block();
    }
}
