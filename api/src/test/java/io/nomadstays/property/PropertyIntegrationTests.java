package io.nomadstays.property;

import static org.assertj.core.api.Assertions.assertThat;

import io.nomadstays.support.Fixtures;
import io.nomadstays.support.IntegrationTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PropertyIntegrationTests extends IntegrationTest {

    private static final String CREATE = """
            mutation($input: CreatePropertyInput!) {
              createProperty(input: $input) {
                property {
                  id name description timeZone amenities houseRules
                  address { line city cityLocal countryCode }
                  location { lat lon }
                  operator { slug }
                }
                userErrors { field code message }
              }
            }""";

    private static final String UPDATE = """
            mutation($input: UpdatePropertyInput!) {
              updateProperty(input: $input) {
                property { id name description timeZone amenities address { city } }
                userErrors { field code message }
              }
            }""";

    private Fixtures.Ref operator;
    private String manager;

    @BeforeEach
    void operator() {
        operator = fixtures.operator("fangyu");
        manager = fixtures.staff(operator, "MANAGER");
    }

    private Map<String, Object> validInput() {
        var input = new HashMap<String, Object>();
        input.put("operatorId", operator.id());
        input.put("name", "方寓 大理古城店");
        input.put("description", "安静的工作室，步行可达洱海。Quiet studios near Erhai lake.");
        input.put("address", Map.of("line", "大理古城人民路 88 号", "city", "Dali", "cityLocal", "大理", "countryCode", "cn"));
        input.put("location", Map.of("lat", 25.6065, "lon", 100.2676));
        input.put("timeZone", "Asia/Shanghai");
        input.put("amenities", List.of("wifi", "Coffee Bar", "kitchen", "wifi"));
        input.put("houseRules", "No smoking indoors. 安静时间 22:00-08:00");
        return input;
    }

    @Test
    void managerCreatesAPropertyAndChineseTextRoundTrips() {
        as(manager).document(CREATE).variable("input", validInput()).execute()
                .path("createProperty.userErrors").entityList(Object.class).hasSize(0)
                .path("createProperty.property.name").entity(String.class).isEqualTo("方寓 大理古城店")
                .path("createProperty.property.address.cityLocal").entity(String.class).isEqualTo("大理")
                .path("createProperty.property.address.countryCode").entity(String.class).isEqualTo("CN")
                .path("createProperty.property.houseRules").entity(String.class).isEqualTo("No smoking indoors. 安静时间 22:00-08:00")
                .path("createProperty.property.amenities").entityList(String.class).containsExactly("wifi", "coffee_bar", "kitchen")
                .path("createProperty.property.location.lat").entity(Double.class).isEqualTo(25.6065)
                .path("createProperty.property.operator.slug").entity(String.class).isEqualTo("fangyu");

        String stored = db.sql("SELECT name FROM property").map(r -> r.get("name", String.class)).one().block();
        assertThat(stored).isEqualTo("方寓 大理古城店");
    }

    @Test
    void badInputIsReportedPerFieldAndNothingIsWritten() {
        var input = validInput();
        input.put("name", " ");
        input.put("description", "x".repeat(10_001));
        input.put("address", Map.of("line", "somewhere", "city", "Nowhere", "countryCode", "XX"));
        input.put("location", Map.of("lat", 91.0, "lon", -180.5));
        input.put("timeZone", "Mars/Olympus_Mons");
        input.put("amenities", IntStream.range(0, 51).mapToObj(i -> "a" + i).toList());

        @SuppressWarnings("unchecked")
        var errors = (List<Map<String, Object>>) payload(post(manager, CREATE, Map.of("input", input)), "createProperty").get("userErrors");

        assertThat(errors).extracting(e -> e.get("field") + ":" + e.get("code")).containsExactlyInAnyOrder(
                "[input, name]:REQUIRED",
                "[input, description]:TOO_LONG",
                "[input, address, countryCode]:INVALID_COUNTRY",
                "[input, location, lat]:OUT_OF_RANGE",
                "[input, location, lon]:OUT_OF_RANGE",
                "[input, timeZone]:INVALID_TIME_ZONE",
                "[input, amenities]:TOO_LONG");
        assertThat(errors).allSatisfy(e -> assertThat((String) e.get("message")).isNotBlank());
        assertThat(fixtures.count("property")).isZero();
    }

    @Test
    void malformedAndWrongTypeIdsAreUserErrors() {
        var input = validInput();
        input.put("operatorId", "not-an-id");
        as(manager).document(CREATE).variable("input", input).execute()
                .path("createProperty.userErrors[0].code").entity(String.class).isEqualTo("MALFORMED_ID");

        Fixtures.Ref property = fixtures.property(operator, "Some place");
        input.put("operatorId", property.id());
        as(manager).document(CREATE).variable("input", input).execute()
                .path("createProperty.userErrors[0].code").entity(String.class).isEqualTo("WRONG_ID_TYPE")
                .path("createProperty.userErrors[0].field").entityList(String.class).containsExactly("input", "operatorId");
        assertThat(fixtures.count("property")).isEqualTo(1);
    }

    @Test
    void updateChangesOnlyTheGivenFieldsAndRecordsAnIndexingEvent() {
        Fixtures.Ref property = fixtures.property(operator, "Old name");

        as(manager).document(UPDATE).variable("input", Map.of("id", property.id(), "name", "New name",
                        "amenities", List.of("pool")))
                .execute()
                .path("updateProperty.userErrors").entityList(Object.class).hasSize(0)
                .path("updateProperty.property.name").entity(String.class).isEqualTo("New name")
                .path("updateProperty.property.timeZone").entity(String.class).isEqualTo("Asia/Makassar")
                .path("updateProperty.property.address.city").entity(String.class).isEqualTo("Canggu")
                .path("updateProperty.property.amenities").entityList(String.class).containsExactly("pool");

        assertThat(db.sql("SELECT event_type FROM outbox_event WHERE aggregate_id = :id").bind("id", property.uuid())
                .map(r -> r.get("event_type", String.class)).all().collectList().block()).containsExactly("PropertyUpdated");
    }

    @Test
    void invalidUpdateChangesNothing() {
        Fixtures.Ref property = fixtures.property(operator, "Keep me");

        as(manager).document(UPDATE).variable("input", Map.of("id", property.id(), "name", "Renamed", "timeZone", "UTC+8"))
                .execute()
                .path("updateProperty.property").valueIsNull()
                .path("updateProperty.userErrors[0].code").entity(String.class).isEqualTo("INVALID_TIME_ZONE");
        assertThat(db.sql("SELECT name FROM property").map(r -> r.get("name", String.class)).one().block()).isEqualTo("Keep me");
        assertThat(fixtures.count("outbox_event")).isZero();
    }

    @Test
    void unknownPropertyIsNotFound() {
        Fixtures.Ref property = fixtures.property(operator, "Gone");
        db.sql("DELETE FROM property").then().block();

        as(manager).document(UPDATE).variable("input", Map.of("id", property.id(), "name", "x")).execute()
                .path("updateProperty.userErrors[0].code").entity(String.class).isEqualTo("NOT_FOUND");
    }

    @Test
    void operatorPropertiesArePagedWithCursors() {
        for (int i = 0; i < 5; i++) {
            fixtures.property(operator, "P" + i);
        }
        String query = """
                query($after: String) { operator(slug: "fangyu") { properties(first: 2, after: $after) {
                  totalCount edges { cursor node { name } } pageInfo { hasNextPage endCursor } } } }""";

        var names = new java.util.ArrayList<String>();
        String after = null;
        for (int page = 0; page < 3; page++) {
            var variables = new HashMap<String, Object>();
            variables.put("after", after);
            @SuppressWarnings("unchecked")
            var connection = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) post(manager, query, variables)
                    .get("data")).get("operator")).get("properties");
            assertThat(connection.get("totalCount")).isEqualTo(5);
            @SuppressWarnings("unchecked")
            var edges = (List<Map<String, Map<String, String>>>) connection.get("edges");
            edges.forEach(e -> names.add(e.get("node").get("name")));
            @SuppressWarnings("unchecked")
            var pageInfo = (Map<String, Object>) connection.get("pageInfo");
            after = (String) pageInfo.get("endCursor");
            assertThat(pageInfo.get("hasNextPage")).isEqualTo(page < 2);
        }
        assertThat(names).containsExactly("P0", "P1", "P2", "P3", "P4");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> payload(Map<String, Object> response, String field) {
        assertThat(response.get("errors")).as("GraphQL errors").isNull();
        return (Map<String, Object>) ((Map<String, Object>) response.get("data")).get(field);
    }
}
