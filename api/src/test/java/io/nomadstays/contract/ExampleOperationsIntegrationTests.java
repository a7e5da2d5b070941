package io.nomadstays.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.github.tomakehurst.wiremock.client.WireMock;
import graphql.ExecutionInput;
import graphql.ParseAndValidate;
import graphql.ParseAndValidateResult;
import graphql.language.Document;
import graphql.language.NonNullType;
import graphql.language.OperationDefinition;
import graphql.language.VariableDefinition;
import graphql.schema.GraphQLInterfaceType;
import graphql.schema.GraphQLObjectType;
import io.nomadstays.graphql.GlobalId;
import io.nomadstays.support.Fixtures.Ref;
import io.nomadstays.support.IntegrationTest;
import io.nomadstays.support.StripeMock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.execution.GraphQlSource;

/**
 * The example operations promised to frontend teams ({@code schema/examples}) keep working:
 * each one parses and validates against the schema the application serves, and runs over HTTP
 * by the right user against fixture data without errors, answering what it claims to show.
 * Every example file needs a case in {@link #CASES}, and every case a file.
 */
class ExampleOperationsIntegrationTests extends IntegrationTest {

    private static final ExampleOperations.Catalog CATALOG = ExampleOperations.load();

    /**
     * How to run one example: as whom ({@code null}: anonymous), the values of its placeholders,
     * and what its answer's {@code data} must show given the variables sent.
     */
    record Scenario(String subject, Map<String, String> values, BiConsumer<Json, Json> check) {
    }

    /** One case per example file, by file name without {@code .graphql}. */
    private static final Map<String, Function<ExampleOperationsIntegrationTests, Scenario>> CASES = new LinkedHashMap<>();

    static {
        CASES.put("me", ExampleOperationsIntegrationTests::me);
        CASES.put("operator-by-slug", ExampleOperationsIntegrationTests::operatorBySlug);
        CASES.put("property", ExampleOperationsIntegrationTests::property);
        CASES.put("stay", ExampleOperationsIntegrationTests::stay);
        CASES.put("node", ExampleOperationsIntegrationTests::node);
        CASES.put("create-operator", ExampleOperationsIntegrationTests::createOperator);
        CASES.put("create-property", ExampleOperationsIntegrationTests::createProperty);
        CASES.put("update-property", ExampleOperationsIntegrationTests::updateProperty);
        CASES.put("create-unit", ExampleOperationsIntegrationTests::createUnit);
        CASES.put("update-unit", ExampleOperationsIntegrationTests::updateUnit);
        CASES.put("set-unit-pricing", ExampleOperationsIntegrationTests::setUnitPricing);
        CASES.put("publish-unit", ExampleOperationsIntegrationTests::publishUnit);
        CASES.put("unpublish-unit", ExampleOperationsIntegrationTests::unpublishUnit);
        CASES.put("record-speed-test", ExampleOperationsIntegrationTests::recordSpeedTest);
        CASES.put("submit-speed-test", ExampleOperationsIntegrationTests::submitSpeedTest);
        CASES.put("quote", ExampleOperationsIntegrationTests::quote);
        CASES.put("create-booking", ExampleOperationsIntegrationTests::createBooking);
        CASES.put("cancel-booking", ExampleOperationsIntegrationTests::cancelBooking);
        CASES.put("accept-booking", ExampleOperationsIntegrationTests::acceptBooking);
        CASES.put("pay-booking", ExampleOperationsIntegrationTests::payBooking);
        CASES.put("block-dates", ExampleOperationsIntegrationTests::blockDates);
        CASES.put("my-bookings", ExampleOperationsIntegrationTests::myBookings);
        CASES.put("add-calendar-feed", ExampleOperationsIntegrationTests::addCalendarFeed);
        CASES.put("start-payout-onboarding", ExampleOperationsIntegrationTests::startPayoutOnboarding);
        CASES.put("operator-payouts", ExampleOperationsIntegrationTests::operatorPayouts);
        CASES.put("claim-deposit", ExampleOperationsIntegrationTests::claimDeposit);
        CASES.put("set-deposit-mode", ExampleOperationsIntegrationTests::setDepositMode);
        CASES.put("pay-rent", ExampleOperationsIntegrationTests::payRent);
        CASES.put("move-out-early", ExampleOperationsIntegrationTests::moveOutEarly);
        CASES.put("extend-booking", ExampleOperationsIntegrationTests::extendBooking);
        CASES.put("check-in-booking", ExampleOperationsIntegrationTests::checkInBooking);
        CASES.put("complete-booking", ExampleOperationsIntegrationTests::completeBooking);
        CASES.put("decline-booking", ExampleOperationsIntegrationTests::declineBooking);
        CASES.put("set-booking-rules", ExampleOperationsIntegrationTests::setBookingRules);
        CASES.put("set-room-type", ExampleOperationsIntegrationTests::setRoomType);
        CASES.put("assign-booking", ExampleOperationsIntegrationTests::assignBooking);
        CASES.put("remove-calendar-feed", ExampleOperationsIntegrationTests::removeCalendarFeed);
        CASES.put("rotate-ical-export-url", ExampleOperationsIntegrationTests::rotateIcalExportUrl);
        CASES.put("unit-calendar", ExampleOperationsIntegrationTests::unitCalendar);
        CASES.put("meeting-room-slots", ExampleOperationsIntegrationTests::meetingRoomSlots);
    }

    @Autowired
    GraphQlSource graphQlSource;

    @Autowired
    org.springframework.context.ApplicationContext context;

    static Stream<String> examples() {
        return CATALOG.examples().keySet().stream();
    }

    // ---- the files ----

    @Test
    void everyCaseHasAnExampleAndEveryFileBelongsToAnExample() {
        assertThat(CATALOG.examples().keySet())
                .as("examples in %s without which the contract is incomplete (each case here needs its file)", CATALOG.location())
                .containsAll(CASES.keySet());
        List<String> strays = CATALOG.files().stream()
                .filter(f -> !(f.endsWith(ExampleOperations.OPERATION_SUFFIX)
                        || f.endsWith(ExampleOperations.VARIABLES_SUFFIX) && CATALOG.examples().containsKey(
                        f.substring(0, f.length() - ExampleOperations.VARIABLES_SUFFIX.length()))))
                .toList();
        assertThat(strays).as("files in %s that are neither NAME.graphql nor the NAME.variables.json of one", CATALOG.location()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void parsesAndValidatesAgainstTheServedSchema(String name) {
        ExampleOperations.Example example = CATALOG.examples().get(name);
        assertThat(example.document().stripLeading())
                .as("%s.graphql starts with a comment saying who may run it and what it shows", example.source())
                .startsWith("#")
                .contains("# Who may run it:");
        assertThat(example.variablesJson()).as("%s%s", example.source(), ExampleOperations.VARIABLES_SUFFIX).isNotNull();
        Map<String, Object> variables = example.rawVariables();

        ParseAndValidateResult result = ParseAndValidate.parseAndValidate(graphQlSource.schema(),
                ExecutionInput.newExecutionInput(example.document()).variables(variables).build());

        if (result.isFailure()) {
            fail("%s.graphql is not valid against the served schema:%n  %s", example.source(),
                    result.getErrors().stream().map(Object::toString).collect(Collectors.joining("\n  ")));
        }
        Document document = result.getDocument();
        List<OperationDefinition> operations = document.getDefinitionsOfType(OperationDefinition.class);
        assertThat(operations).as("%s.graphql has exactly one operation", example.source()).hasSize(1);
        OperationDefinition operation = operations.get(0);
        assertThat(operation.getName()).as("%s.graphql's operation has a name", example.source()).isNotBlank();
        Set<String> declared = operation.getVariableDefinitions().stream().map(VariableDefinition::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> required = operation.getVariableDefinitions().stream()
                .filter(v -> v.getType() instanceof NonNullType && v.getDefaultValue() == null)
                .map(VariableDefinition::getName).collect(Collectors.toCollection(TreeSet::new));
        assertThat(declared).as("variables of %s.graphql: %s%s sets only declared ones", example.source(), name,
                ExampleOperations.VARIABLES_SUFFIX).containsAll(variables.keySet());
        assertThat(variables.keySet()).as("%s%s gives every required variable", name, ExampleOperations.VARIABLES_SUFFIX)
                .containsAll(required);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void runsOverHttpWithoutErrors(String name) {
        ExampleOperations.Example example = CATALOG.examples().get(name);
        Function<ExampleOperationsIntegrationTests, Scenario> testCase = CASES.get(name);
        if (testCase == null) {
            fail("%s.graphql has no case: add one to ExampleOperationsIntegrationTests.CASES "
                    + "(who runs it, the data it needs, what its answer must show)", example.source());
        }
        Scenario scenario = testCase.apply(this);
        Map<String, Object> variables = example.variables(scenario.values());

        Json data = run(example, scenario.subject(), variables);

        scenario.check().accept(data, new Json(variables, "variables"));
    }

    /**
     * The node example refetches any type that implements {@code Node}: Relay and Apollo clients rely on
     * it for every ID the API hands out (docs/schema-contract.md).
     */
    @Test
    void theNodeExampleResolvesEveryTypeThatImplementsNode() {
        Ref operator = fixtures.operator("canggu-surf-work");
        String owner = fixtures.staff(operator, "OWNER");
        Ref property = fixtures.property(operator, "Canggu Surf & Work");
        Ref unit = fixtures.unit(operator, property, "Ocean room", true);
        String speedTestId = recordSpeedTest(owner, property, 95.0).at("recordSpeedTest.speedTest.id").string();
        String ownerId = run(CATALOG.examples().get("me"), owner, Map.of()).at("me.id").string();
        fixtures.user("test:nomad");
        LocalDate inTenDays = LocalDate.now(ZoneId.of("Asia/Makassar")).plusDays(10);
        String bookingId = mutate("test:nomad", "mutation($input: CreateBookingInput!) { createBooking(input: $input) { booking { id } userErrors { code } } }",
                Map.of("input", Map.of("unitId", unit.id(), "checkIn", inTenDays.toString(), "checkOut", inTenDays.plusDays(2).toString())))
                .at("createBooking.booking.id").string();
        String blockId = mutate(owner, "mutation($input: BlockDatesInput!) { blockDates(input: $input) { block { id } userErrors { code } } }",
                Map.of("input", Map.of("unitId", unit.id(), "from", inTenDays.plusDays(5).toString(), "to", inTenDays.plusDays(6).toString())))
                .at("blockDates.block.id").string();
        String feedId = mutate(owner, "mutation($input: AddCalendarFeedInput!) { addCalendarFeed(input: $input) { feed { id } userErrors { code } } }",
                Map.of("input", Map.of("unitId", unit.id(), "url", "https://example.com/calendar.ics", "name", "Elsewhere")))
                .at("addCalendarFeed.feed.id").string();
        Map<String, String> ids = Map.of(
                "Operator", operator.id(),
                "User", ownerId,
                "Property", property.id(),
                "Unit", unit.id(),
                "Stay", GlobalId.encode(GlobalId.Type.STAY, unit.uuid()),
                "SpeedTest", speedTestId,
                "Booking", bookingId,
                "CalendarBlock", blockId,
                "CalendarFeed", feedId);
        GraphQLInterfaceType node = (GraphQLInterfaceType) graphQlSource.schema().getType("Node");
        List<String> failures = new ArrayList<>();
        for (GraphQLObjectType type : graphQlSource.schema().getImplementations(node)) {
            String id = ids.get(type.getName());
            if (id == null) {
                failures.add(type.getName() + ": no ID in this test; add one for the new Node type");
                continue;
            }
            Map<String, Object> response = post(owner, CATALOG.examples().get("node").document(), Map.of("id", id));
            Object typename = response.get("data") instanceof Map<?, ?> data && data.get("node") instanceof Map<?, ?> n
                    ? n.get("__typename") : null;
            if (response.get("errors") != null || !type.getName().equals(typename)) {
                failures.add(type.getName() + " " + id + " -> " + response);
            }
        }
        assertThat(failures).as("node(id:) must resolve the ID of every type that implements Node").isEmpty();
    }

    // ---- the cases ----

    private Scenario me() {
        Ref operator = fixtures.operator("canggu-surf-work");
        String owner = fixtures.staff(operator, "OWNER");
        return new Scenario(owner, Map.of(), (data, vars) -> {
            assertThat(data.at("me.id").string()).isNotBlank();
            assertThat(data.at("me.isPlatformAdmin").value()).isEqualTo(false);
            assertThat(data.at("me.memberships.0.role").value()).isEqualTo("OWNER");
            assertThat(data.at("me.memberships.0.operator.id").value()).isEqualTo(operator.id());
        });
    }

    private Scenario operatorBySlug() {
        Ref operator = fixtures.operator("canggu-surf-work");
        Ref property = fixtures.property(operator, "Canggu Surf & Work");
        Ref published = fixtures.unit(operator, property, "Ocean room", true);
        fixtures.unit(operator, property, "Draft room", false);
        return new Scenario(null, Map.of("OPERATOR_SLUG", "canggu-surf-work"), (data, vars) -> {
            assertThat(data.at("operator.slug").value()).isEqualTo(vars.at("slug").value());
            assertThat(data.at("operator.viewerRole").value()).isNull();
            assertThat(data.at("operator.properties.totalCount").value()).isEqualTo(1);
            assertThat(data.at("operator.properties.edges.0.node.id").value()).isEqualTo(property.id());
            assertThat(data.at("operator.properties.pageInfo.hasNextPage").value()).isEqualTo(false);
            // Anonymous callers see only the published unit.
            assertThat(data.at("operator.units.totalCount").value()).isEqualTo(1);
            assertThat(data.at("operator.units.edges.0.node.id").value()).isEqualTo(published.id());
            assertThat(data.at("operator.units.edges.0.node.status").value()).isEqualTo("PUBLISHED");
        });
    }

    private Scenario property() {
        Ref operator = fixtures.operator("canggu-surf-work");
        String manager = fixtures.staff(operator, "MANAGER");
        Ref property = fixtures.property(operator, "Canggu Surf & Work");
        fixtures.unit(operator, property, "Ocean room", true);
        recordSpeedTest(manager, property, 104.2);
        return new Scenario(null, Map.of("PROPERTY_ID", property.id()), (data, vars) -> {
            assertThat(data.at("property.id").value()).isEqualTo(vars.at("id").value());
            assertThat(data.at("property.name").value()).isEqualTo("Canggu Surf & Work");
            assertThat(data.at("property.internet.testCount").value()).isEqualTo(1);
            assertThat(data.at("property.internet.fast").value()).isEqualTo(true);
            Json pricing = data.at("property.units.edges.0.node.pricing");
            assertThat(pricing.at("monthlyRate").value()).isEqualTo(Map.of("amount", 45000, "currency", "USD", "decimal", "450.00"));
            assertThat(pricing.at("deposit.decimal").value()).isEqualTo("300.00");
        });
    }

    private Scenario stay() {
        Ref operator = fixtures.operator("canggu-surf-work");
        Ref property = fixtures.property(operator, "Canggu Surf & Work");
        Ref unit = fixtures.unit(operator, property, "Ocean room", true);
        fixtures.user("test:nomad");
        String stayId = GlobalId.encode(GlobalId.Type.STAY, unit.uuid());
        return new Scenario("test:nomad", Map.of("STAY_ID", stayId), (data, vars) -> {
            assertThat(data.at("stay.id").value()).isEqualTo(stayId);
            assertThat(data.at("stay.unit.id").value()).isEqualTo(unit.id());
            assertThat(data.at("stay.unit.name").value()).isEqualTo("Ocean room");
            assertThat(data.at("stay.property.id").value()).isEqualTo(property.id());
            assertThat(data.at("stay.operator.slug").value()).isEqualTo("canggu-surf-work");
            assertThat(data.at("stay.unit.pricing.nightlyRate.amount").value()).isEqualTo(2500);
        });
    }

    private Scenario node() {
        Ref operator = fixtures.operator("canggu-surf-work");
        Ref property = fixtures.property(operator, "Canggu Surf & Work");
        fixtures.unit(operator, property, "Ocean room", true);
        return new Scenario(null, Map.of("PROPERTY_ID", property.id()), (data, vars) -> {
            assertThat(data.at("node.__typename").value()).isEqualTo("Property");
            assertThat(data.at("node.id").value()).isEqualTo(property.id());
            assertThat(data.at("node.name").value()).isEqualTo("Canggu Surf & Work");
        });
    }

    private Scenario createOperator() {
        fixtures.admin("test:admin");
        Ref owner = fixtures.user("test:owner");
        return new Scenario("test:admin", Map.of("OWNER_USER_ID", owner.id()), (data, vars) -> {
            assertThat(data.at("createOperator.operator.id").string()).isNotBlank();
            assertThat(data.at("createOperator.operator.slug").value()).isEqualTo(vars.at("input.slug").value());
            assertThat(data.at("createOperator.operator.name").value()).isEqualTo(vars.at("input.name").value());
            // The owner named in the input sees the new operator among their memberships.
            Json me = run(CATALOG.examples().get("me"), "test:owner", Map.of());
            assertThat(me.at("me.memberships.0.operator.slug").value()).isEqualTo(vars.at("input.slug").value());
            assertThat(me.at("me.memberships.0.role").value()).isEqualTo("OWNER");
        });
    }

    private Scenario createProperty() {
        Ref operator = fixtures.operator("dali-erhai");
        String manager = fixtures.staff(operator, "MANAGER");
        return new Scenario(manager, Map.of("OPERATOR_ID", operator.id()), (data, vars) -> {
            Json property = data.at("createProperty.property");
            assertThat(property.at("id").string()).isNotBlank();
            assertThat(property.at("name").value()).isEqualTo(vars.at("input.name").value());
            assertThat(property.at("description").value()).isEqualTo(vars.at("input.description").value());
            assertThat(property.at("houseRules").value()).isEqualTo(vars.at("input.houseRules").value());
            assertThat(property.at("address.cityLocal").value()).isEqualTo("大理");
            assertThat(property.at("timeZone").value()).isEqualTo("Asia/Shanghai");
            assertThat(property.at("operator.id").value()).isEqualTo(operator.id());
        });
    }

    private Scenario updateProperty() {
        Ref operator = fixtures.operator("canggu-surf-work");
        String manager = fixtures.staff(operator, "MANAGER");
        Ref property = fixtures.property(operator, "Canggu Surf & Work");
        return new Scenario(manager, Map.of("PROPERTY_ID", property.id()), (data, vars) -> {
            assertThat(data.at("updateProperty.property.id").value()).isEqualTo(property.id());
            assertThat(data.at("updateProperty.property.name").value()).isEqualTo(vars.at("input.name").value());
            assertThat(data.at("updateProperty.property.amenities").value()).isEqualTo(vars.at("input.amenities").value());
            assertThat(data.at("updateProperty.property.houseRules").value()).isEqualTo(vars.at("input.houseRules").value());
        });
    }

    private Scenario createUnit() {
        Ref operator = fixtures.operator("canggu-surf-work");
        String manager = fixtures.staff(operator, "MANAGER");
        Ref property = fixtures.property(operator, "Canggu Surf & Work");
        return new Scenario(manager, Map.of("PROPERTY_ID", property.id()), (data, vars) -> {
            Json unit = data.at("createUnit.unit");
            assertThat(unit.at("name").value()).isEqualTo(vars.at("input.name").value());
            assertThat(unit.at("type").value()).isEqualTo("BED");
            assertThat(unit.at("capacity").value()).isEqualTo(8);
            assertThat(unit.at("minStay").value()).isEqualTo(7);
            assertThat(unit.at("status").value()).isEqualTo("DRAFT");
            assertThat(unit.at("property.id").value()).isEqualTo(property.id());
        });
    }

    private Scenario updateUnit() {
        Ref operator = fixtures.operator("canggu-surf-work");
        String manager = fixtures.staff(operator, "MANAGER");
        Ref property = fixtures.property(operator, "Canggu Surf & Work");
        Ref unit = fixtures.unit(operator, property, "Room 3", false);
        return new Scenario(manager, Map.of("UNIT_ID", unit.id()), (data, vars) -> {
            assertThat(data.at("updateUnit.unit.id").value()).isEqualTo(unit.id());
            assertThat(data.at("updateUnit.unit.name").value()).isEqualTo(vars.at("input.name").value());
            assertThat(data.at("updateUnit.unit.minStay").value()).isEqualTo(28);
            assertThat(data.at("updateUnit.unit.maxStay").value()).isEqualTo(365);
        });
    }

    private Scenario setUnitPricing() {
        Ref operator = fixtures.operator("canggu-surf-work");
        String manager = fixtures.staff(operator, "MANAGER");
        Ref property = fixtures.property(operator, "Canggu Surf & Work");
        Ref unit = fixtures.unit(operator, property, "Room 3", false);
        return new Scenario(manager, Map.of("UNIT_ID", unit.id()), (data, vars) -> {
            Json pricing = data.at("setUnitPricing.unit.pricing");
            assertThat(pricing.at("currency").value()).isEqualTo("USD");
            assertThat(pricing.at("monthlyRate.amount").value()).isEqualTo(vars.at("input.monthlyRate").value());
            assertThat(pricing.at("monthlyRate.decimal").value()).isEqualTo("650.00");
            assertThat(pricing.at("cleaningFee.decimal").value()).isEqualTo("25.00");
            assertThat(pricing.at("longStayDiscounts").value()).isEqualTo(vars.at("input.longStayDiscounts").value());
        });
    }

    private Scenario publishUnit() {
        Ref operator = fixtures.operator("canggu-surf-work");
        String manager = fixtures.staff(operator, "MANAGER");
        Ref property = fixtures.property(operator, "Canggu Surf & Work");
        Ref unit = fixtures.unit(operator, property, "Room 3", false); // a draft with a price list
        return new Scenario(manager, Map.of("UNIT_ID", unit.id()), (data, vars) -> {
            assertThat(data.at("publishUnit.unit.id").value()).isEqualTo(unit.id());
            assertThat(data.at("publishUnit.unit.status").value()).isEqualTo("PUBLISHED");
            assertThat(data.at("publishUnit.unit.publishedAt").string()).isNotBlank();
        });
    }

    private Scenario unpublishUnit() {
        Ref operator = fixtures.operator("canggu-surf-work");
        String manager = fixtures.staff(operator, "MANAGER");
        Ref property = fixtures.property(operator, "Canggu Surf & Work");
        Ref unit = fixtures.unit(operator, property, "Room 3", true);
        return new Scenario(manager, Map.of("UNIT_ID", unit.id()), (data, vars) -> {
            assertThat(data.at("unpublishUnit.unit.id").value()).isEqualTo(unit.id());
            assertThat(data.at("unpublishUnit.unit.status").value()).isEqualTo("DRAFT");
        });
    }

    private Scenario recordSpeedTest() {
        Ref operator = fixtures.operator("canggu-surf-work");
        String manager = fixtures.staff(operator, "MANAGER");
        Ref property = fixtures.property(operator, "Canggu Surf & Work");
        Ref unit = fixtures.unit(operator, property, "Ocean room", true);
        return new Scenario(manager, Map.of("PROPERTY_ID", property.id(), "UNIT_ID", unit.id()), (data, vars) -> {
            Json test = data.at("recordSpeedTest.speedTest");
            assertThat(test.at("source").value()).isEqualTo("OPERATOR");
            assertThat(test.at("downloadMbps").value()).isEqualTo(vars.at("input.downloadMbps").value());
            assertThat(test.at("unit.id").value()).isEqualTo(unit.id());
            assertThat(data.at("recordSpeedTest.property.id").value()).isEqualTo(property.id());
            assertThat(data.at("recordSpeedTest.property.internet.testCount").value()).isEqualTo(1);
        });
    }

    private Scenario submitSpeedTest() {
        Ref operator = fixtures.operator("canggu-surf-work");
        Ref property = fixtures.property(operator, "Canggu Surf & Work");
        fixtures.unit(operator, property, "Ocean room", true);
        fixtures.user("test:nomad");
        return new Scenario("test:nomad", Map.of("PROPERTY_ID", property.id()), (data, vars) -> {
            assertThat(data.at("submitSpeedTest.speedTest.source").value()).isEqualTo("GUEST");
            assertThat(data.at("submitSpeedTest.speedTest.downloadMbps").value()).isEqualTo(vars.at("input.downloadMbps").value());
            assertThat(data.at("submitSpeedTest.property.internet.testCount").value()).isEqualTo(1);
            assertThat(data.at("submitSpeedTest.property.internet.verified").value()).isEqualTo(false);
        });
    }

    private Scenario addCalendarFeed() {
        Ref operator = fixtures.operator("canggu-surf-work");
        String manager = fixtures.staff(operator, "MANAGER");
        Ref property = fixtures.property(operator, "Canggu Surf & Work");
        Ref unit = fixtures.unit(operator, property, "Ocean room", true);
        return new Scenario(manager, Map.of("UNIT_ID", unit.id()), (data, vars) -> {
            Json feed = data.at("addCalendarFeed.feed");
            assertThat(feed.at("id").string()).isNotBlank();
            assertThat(feed.at("url").value()).isEqualTo(vars.at("input.url").value());
            assertThat(feed.at("name").value()).isEqualTo("Airbnb");
            assertThat(feed.at("lastAttemptAt").value()).isNull();
            assertThat(feed.at("eventsImported").value()).isEqualTo(0);
            assertThat(feed.at("unit.id").value()).isEqualTo(unit.id());
            assertThat(feed.at("unit.icalExportUrl").string()).contains("/calendars/").endsWith(".ics");
        });
    }

    private Scenario startPayoutOnboarding() {
        Ref operator = fixtures.operator("canggu-surf-work", false);
        String owner = fixtures.staff(operator, "OWNER");
        StripeMock.reset();
        StripeMock.SERVER.stubFor(WireMock.post(WireMock.urlEqualTo("/v1/accounts")).willReturn(WireMock.okJson(StripeMock.json(
                StripeMock.account("acct_1ExampleOnboard", false, false, false, List.of("external_account"))))));
        StripeMock.SERVER.stubFor(WireMock.post(WireMock.urlEqualTo("/v1/account_links")).willReturn(WireMock.okJson(StripeMock.json(
                StripeMock.accountLink("https://connect.stripe.com/setup/e/acct_1ExampleOnboard/x1", java.time.Instant.now().plusSeconds(300))))));
        return new Scenario(owner, Map.of("OPERATOR_ID", operator.id()), (data, vars) -> {
            assertThat(data.at("startPayoutOnboarding.userErrors").value()).isEqualTo(List.of());
            assertThat(data.at("startPayoutOnboarding.onboardingUrl").string()).startsWith("https://connect.stripe.com/");
            assertThat(data.at("startPayoutOnboarding.account.stripeAccountId").value()).isEqualTo("acct_1ExampleOnboard");
            assertThat(data.at("startPayoutOnboarding.account.chargesEnabled").value()).isEqualTo(false);
        });
    }

    private Scenario operatorPayouts() {
        Ref operator = fixtures.operator("canggu-surf-work");
        String manager = fixtures.staff(operator, "MANAGER");
        db.sql("""
                        INSERT INTO ledger_entry (id, operator_id, kind, amount, currency, stripe_object_id, occurred_at)
                        VALUES (:a, :op, 'RENT', 45000, 'USD', 'in_example', '2026-11-02T00:00:00Z'),
                               (:b, :op, 'APPLICATION_FEE', -4500, 'USD', 'fee_example', '2026-11-02T00:00:00Z')""")
                .bind("a", io.nomadstays.shared.Ids.newId()).bind("b", io.nomadstays.shared.Ids.newId()).bind("op", operator.uuid())
                .then().block();
        return new Scenario(manager, Map.of(), (data, vars) -> {
            assertThat(data.at("operator.payoutAccount.chargesEnabled").value()).isEqualTo(true);
            assertThat(data.at("operator.balance.0.amount").value()).isEqualTo(40500);
            assertThat(data.at("operator.balance.0.decimal").value()).isEqualTo("405.00");
        });
    }

    private Scenario claimDeposit() {
        Ref operator = fixtures.operator("canggu-surf-work");
        String manager = fixtures.staff(operator, "MANAGER");
        Ref property = fixtures.property(operator, "Canggu Surf & Work");
        Ref unit = fixtures.unit(operator, property, "Ocean room", true);
        String booking = booked("test:nomad", unit, 20, 3, null);
        // Paid (the first payment saved the card) and checked out yesterday.
        db.sql("""
                        UPDATE booking SET status = 'CONFIRMED', hold_expires_at = NULL, confirmed_at = now(), payment_method_id = 'pm_card_visa',
                                           check_in = :in, check_out = :out, occupied_until = :out
                         WHERE id = :id""")
                .bind("in", inDays(-4)).bind("out", inDays(-1))
                .bind("id", io.nomadstays.graphql.GlobalId.parse(booking).orElseThrow().uuid()).then().block();
        return new Scenario(manager, Map.of("BOOKING_ID", booking), (data, vars) -> {
            assertThat(data.at("claimDeposit.userErrors").value()).isEqualTo(List.of());
            assertThat(data.at("claimDeposit.booking.depositInfo.mode").value()).isEqualTo("CARD_ON_FILE");
            assertThat(data.at("claimDeposit.booking.depositInfo.status").value()).isEqualTo("CLAIMED");
            assertThat(data.at("claimDeposit.booking.depositInfo.claim.status").value()).isEqualTo("PAID");
            assertThat(data.at("claimDeposit.booking.depositInfo.claim.total.amount").value()).isEqualTo(7000);
            assertThat(data.at("claimDeposit.booking.depositInfo.claim.items.0.description").value()).isEqualTo("Broken desk lamp");
        });
    }

    // ---- helpers ----

    /** Runs a document that is not an example, with the same checks. */
    private Json mutate(String subject, String document, Map<String, Object> variables) {
        Map<String, Object> response = post(subject, document, variables);
        assertThat(response.get("errors")).as("errors of %s: %s", document, response).isNull();
        List<String> userErrors = new ArrayList<>();
        collectUserErrors(response.get("data"), "data", userErrors);
        assertThat(userErrors).as("userErrors of %s", document).isEmpty();
        return new Json(response.get("data"), "data");
    }

    /** Runs an example over HTTP; fails on any GraphQL error or a non-empty {@code userErrors}. */
    private Json run(ExampleOperations.Example example, String subject, Map<String, Object> variables) {
        Map<String, Object> response = post(subject, example.document(), variables);
        String who = subject == null ? "anonymous" : subject;
        assertThat(response.get("errors")).as("errors of %s.graphql run by %s: %s", example.source(), who, response).isNull();
        assertThat(response.get("data")).as("data of %s.graphql run by %s: %s", example.source(), who, response).isNotNull();
        List<String> userErrors = new ArrayList<>();
        collectUserErrors(response.get("data"), "data", userErrors);
        assertThat(userErrors).as("userErrors of %s.graphql run by %s", example.source(), who).isEmpty();
        return new Json(response.get("data"), "data");
    }

    private static void collectUserErrors(Object node, String path, List<String> found) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if ("userErrors".equals(key) && value instanceof List<?> list && !list.isEmpty()) {
                    found.add(path + ".userErrors = " + list);
                }
                collectUserErrors(value, path + "." + key, found);
            });
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                collectUserErrors(list.get(i), path + "." + i, found);
            }
        }
    }

    /** Setup through the API: a speed test recorded by staff of the property's operator. */
    private Json recordSpeedTest(String staff, Ref property, double downloadMbps) {
        Map<String, Object> input = Map.of("propertyId", property.id(), "downloadMbps", downloadMbps, "uploadMbps", 40.0);
        Map<String, Object> response = post(staff, """
                mutation($input: RecordSpeedTestInput!) {
                  recordSpeedTest(input: $input) { speedTest { id } userErrors { code message } }
                }""", Map.of("input", input));
        Json data = new Json(response.get("data"), "data");
        assertThat(response.get("errors")).as("setup: recordSpeedTest %s", response).isNull();
        assertThat(data.at("recordSpeedTest.userErrors").value()).as("setup: recordSpeedTest %s", response).isEqualTo(List.of());
        return data;
    }

    /** A value in parsed JSON, reached by a dotted path whose numeric segments index lists. */
    record Json(Object value, String path) {

        Json at(String dotted) {
            Object current = value;
            String where = path;
            for (String segment : dotted.split("\\.")) {
                where = where + "." + segment;
                if (current instanceof Map<?, ?> map) {
                    assertThat(map.containsKey(segment)).as("%s exists in %s", where, value).isTrue();
                    current = map.get(segment);
                } else if (current instanceof List<?> list && segment.chars().allMatch(Character::isDigit)) {
                    int index = Integer.parseInt(segment);
                    assertThat(list).as("%s exists in %s", where, value).hasSizeGreaterThan(index);
                    current = list.get(index);
                } else {
                    fail("%s: cannot go into %s (in %s)", where, current, value);
                }
            }
            return new Json(current, where);
        }

        String string() {
            assertThat(value).as(path).isInstanceOf(String.class);
            return (String) value;
        }
    }

    // ---- bookings ----

    private static final java.time.ZoneId BALI = java.time.ZoneId.of("Asia/Makassar");

    private static java.time.LocalDate inDays(int days) {
        return java.time.LocalDate.now(BALI).plusDays(days);
    }

    /** A booking made through the API, for the examples that change one. */
    @SuppressWarnings("unchecked")
    private String booked(String nomad, Ref unit, int inDays, int nights, List<String> answers) {
        Map<String, Object> input = new java.util.HashMap<>(Map.of("unitId", unit.id(), "checkIn", inDays(inDays).toString(),
                "checkOut", inDays(inDays + nights).toString()));
        if (answers != null) {
            input.put("answers", answers);
        }
        Map<String, Object> response = post(nomad, "mutation($input: CreateBookingInput!) { createBooking(input: $input) { booking { id } userErrors { code } } }",
                Map.of("input", input));
        var payload = (Map<String, Object>) ((Map<String, Object>) response.get("data")).get("createBooking");
        assertThat((List<?>) payload.get("userErrors")).isEmpty();
        return (String) ((Map<String, Object>) payload.get("booking")).get("id");
    }

    private Scenario quote() {
        Ref operator = fixtures.operator("canggu-surf-work");
        Ref property = fixtures.property(operator, "Canggu Surf & Work");
        Ref unit = fixtures.unit(operator, property, "Ocean room", true);
        return new Scenario(null, Map.of("UNIT_ID", unit.id(), "CHECK_IN", inDays(30).toString(), "CHECK_OUT", inDays(33).toString()),
                (data, vars) -> {
                    assertThat(data.at("quote.nights").value()).isEqualTo(3);
                    assertThat(data.at("quote.total.amount").value()).isEqualTo(7500);
                    assertThat(data.at("quote.total.currency").value()).isEqualTo("USD");
                    assertThat(data.at("quote.deposit.amount").value()).isEqualTo(30000);
                    assertThat(data.at("quote.displayTotal.currency").value()).isEqualTo("EUR");
                });
    }

    private Scenario createBooking() {
        Ref operator = fixtures.operator("canggu-surf-work");
        Ref property = fixtures.property(operator, "Canggu Surf & Work");
        Ref unit = fixtures.unit(operator, property, "Ocean room", true);
        fixtures.user("test:nomad");
        return new Scenario("test:nomad", Map.of("UNIT_ID", unit.id(), "CHECK_IN", inDays(14).toString(), "CHECK_OUT", inDays(44).toString()),
                (data, vars) -> {
                    assertThat(data.at("createBooking.userErrors").value()).isEqualTo(List.of());
                    assertThat(data.at("createBooking.booking.status").value()).isEqualTo("HELD");
                    assertThat(data.at("createBooking.booking.nights").value()).isEqualTo(30);
                    assertThat(data.at("createBooking.booking.total.amount").value()).isEqualTo(45000 + 0);
                    assertThat(data.at("createBooking.booking.holdExpiresAt").string()).isNotBlank();
                    assertThat(data.at("createBooking.payment.status").value()).isEqualTo("REQUIRES_PAYMENT_METHOD");
                    assertThat(data.at("createBooking.payment.clientSecret").string())
                            .startsWith(data.at("createBooking.payment.paymentIntentId").string() + "_secret_");
                    assertThat(data.at("createBooking.payment.amount.amount").value()).isEqualTo(45000);
                });
    }

    private Scenario payBooking() {
        Ref operator = fixtures.operator("canggu-surf-work");
        Ref property = fixtures.property(operator, "Canggu Surf & Work");
        Ref unit = fixtures.unit(operator, property, "Ocean room", true);
        String booking = booked("test:nomad", unit, 20, 5, null);
        return new Scenario("test:nomad", Map.of("BOOKING_ID", booking), (data, vars) -> {
            assertThat(data.at("payBooking.userErrors").value()).isEqualTo(List.of());
            assertThat(data.at("payBooking.booking.status").value()).isEqualTo("HELD");
            assertThat(data.at("payBooking.payment.amount.amount").value()).isEqualTo(12500);
            assertThat(data.at("payBooking.payment.clientSecret").string()).contains("_secret_");
            assertThat(data.at("payBooking.booking.charges.0.purpose").value()).isEqualTo("FIRST_PAYMENT");
        });
    }

    private Scenario cancelBooking() {
        Ref operator = fixtures.operator("canggu-surf-work");
        Ref property = fixtures.property(operator, "Canggu Surf & Work");
        Ref unit = fixtures.unit(operator, property, "Ocean room", true);
        String booking = booked("test:nomad", unit, 20, 5, null);
        return new Scenario("test:nomad", Map.of("BOOKING_ID", booking), (data, vars) -> {
            assertThat(data.at("cancelBooking.userErrors").value()).isEqualTo(List.of());
            assertThat(data.at("cancelBooking.booking.status").value()).isEqualTo("CANCELLED_BY_GUEST");
            assertThat(data.at("cancelBooking.booking.cancelReason").value()).isEqualTo("My plans changed");
            assertThat(data.at("cancelBooking.booking.refund.amount").value()).isEqualTo(0); // a hold has paid nothing
            assertThat(data.at("cancelBooking.booking.refunds").value()).isEqualTo(List.of());
        });
    }

    private Scenario acceptBooking() {
        Ref operator = fixtures.operator("youplus-community");
        String manager = fixtures.staff(operator, "MANAGER");
        Ref property = fixtures.property(operator, "Community House");
        Ref unit = fixtures.unit(operator, property, "Room 12", true);
        db.sql("UPDATE unit SET booking_mode = 'REQUEST', booking_questions = ARRAY['Purpose of stay?'] WHERE id = :id")
                .bind("id", unit.uuid()).then().block();
        String booking = booked("test:applicant", unit, 20, 30, List.of("Starting a company"));
        return new Scenario(manager, Map.of("BOOKING_ID", booking), (data, vars) -> {
            assertThat(data.at("acceptBooking.userErrors").value()).isEqualTo(List.of());
            assertThat(data.at("acceptBooking.booking.status").value()).isEqualTo("HELD");
            assertThat(data.at("acceptBooking.booking.answers.0.answer").value()).isEqualTo("Starting a company");
            assertThat(data.at("acceptBooking.booking.guest.displayName").value()).isEqualTo("test:applicant");
        });
    }

    private Scenario blockDates() {
        Ref operator = fixtures.operator("canggu-surf-work");
        String manager = fixtures.staff(operator, "MANAGER");
        Ref property = fixtures.property(operator, "Canggu Surf & Work");
        Ref unit = fixtures.unit(operator, property, "Ocean room", true);
        return new Scenario(manager, Map.of("UNIT_ID", unit.id(), "FROM", inDays(10).toString(), "TO", inDays(17).toString()), (data, vars) -> {
            assertThat(data.at("blockDates.userErrors").value()).isEqualTo(List.of());
            assertThat(data.at("blockDates.block.startDate").value()).isEqualTo(inDays(10).toString());
            assertThat(data.at("blockDates.block.source").value()).isEqualTo("OPERATOR");
        });
    }

    private Scenario myBookings() {
        Ref operator = fixtures.operator("canggu-surf-work");
        Ref property = fixtures.property(operator, "Canggu Surf & Work");
        Ref unit = fixtures.unit(operator, property, "Ocean room", true);
        String booking = booked("test:nomad", unit, 20, 5, null);
        booked("test:someone-else", unit, 40, 5, null);
        return new Scenario("test:nomad", Map.of(), (data, vars) -> {
            assertThat(data.at("me.bookings.totalCount").value()).isEqualTo(1);
            assertThat(data.at("me.bookings.edges.0.node.id").value()).isEqualTo(booking);
            assertThat(data.at("me.bookings.edges.0.node.stay.property.timeZone").value()).isEqualTo("Asia/Makassar");
        });
    }

    // ---- payments, stays and calendars ----

    /**
     * A stay booked through the API and paid the way a browser and Stripe do it: the fake Stripe
     * succeeds the first payment and its signed webhook confirms the booking (saving the card and
     * scheduling the months after the first of a long stay).
     */
    private String paidStay(String nomad, Ref unit, LocalDate checkIn, LocalDate checkOut) {
        Json created = mutate(nomad, """
                        mutation($input: CreateBookingInput!) {
                          createBooking(input: $input) { booking { id } payment { paymentIntentId } userErrors { code message } }
                        }""",
                Map.of("input", Map.of("unitId", unit.id(), "checkIn", checkIn.toString(), "checkOut", checkOut.toString())));
        String booking = created.at("createBooking.booking.id").string();
        String intent = created.at("createBooking.payment.paymentIntentId").string();
        StripeMock.FAKE.succeed(intent, "pm_card_visa");
        stripeEvents.deliver(StripeMock.event("evt_first_" + intent, "payment_intent.succeeded", StripeMock.FAKE.object(intent), null,
                java.time.Instant.now())).expectStatus().isOk();
        assertThat(status(nomad, booking)).as("setup: the paid booking is confirmed").isEqualTo("CONFIRMED");
        return booking;
    }

    private String status(String subject, String booking) {
        return mutate(subject, "query($id: ID!) { booking(id: $id) { status } }", Map.of("id", booking)).at("booking.status").string();
    }

    private static java.util.UUID uuid(String globalId) {
        return GlobalId.parse(globalId).orElseThrow().uuid();
    }

    private Scenario setDepositMode() {
        Ref operator = fixtures.operator("canggu-surf-work");
        String manager = fixtures.staff(operator, "MANAGER");
        Ref property = fixtures.property(operator, "Canggu Surf & Work");
        Ref unit = fixtures.unit(operator, property, "Ocean room", true);
        return new Scenario(manager, Map.of("UNIT_ID", unit.id()), (data, vars) -> {
            assertThat(data.at("setDepositMode.unit.id").value()).isEqualTo(unit.id());
            assertThat(data.at("setDepositMode.unit.depositMode").value()).isEqualTo("COLLECTED"); // CARD_ON_FILE before
            assertThat(data.at("setDepositMode.unit.pricing.deposit.amount").value()).isEqualTo(30000);
            // Public: a nomad looking at the stay sees the new mode.
            assertThat(mutate("test:nomad", "query($id: ID!) { stay(id: $id) { unit { depositMode } } }", Map.of("id", unit.id()))
                    .at("stay.unit.depositMode").value()).isEqualTo("COLLECTED");
        });
    }

    private Scenario payRent() {
        StripeMock.reset();
        Ref operator = fixtures.operator("lisbon-coliving");
        Ref property = fixtures.property(operator, "Lisbon Coliving");
        Ref unit = fixtures.unit(operator, property, "Room 1", true);
        String booking = paidStay("test:nomad", unit, inDays(10), inDays(10).plusMonths(3));
        // Month 2 comes due today and the saved card is declined: the rent job makes it past due.
        db.sql("UPDATE booking SET payment_method_id = 'pm_card_chargeDeclined' WHERE id = :b").bind("b", uuid(booking)).then().block();
        db.sql("UPDATE rent_instalment SET due_on = (now() AT TIME ZONE 'Asia/Makassar')::date WHERE booking_id = :b AND sequence = 2")
                .bind("b", uuid(booking)).then().block();
        io.nomadstays.billing.RentJobsForTests.runOnce(context);
        String declined = db.sql("SELECT stripe_payment_intent_id FROM rent_instalment WHERE booking_id = :b AND sequence = 2")
                .bind("b", uuid(booking)).map(row -> row.get("stripe_payment_intent_id", String.class)).one().block();
        assertThat(declined).as("setup: month 2 was charged and declined").isNotNull();
        return new Scenario("test:nomad", Map.of("BOOKING_ID", booking), (data, vars) -> {
            assertThat(data.at("payRent.userErrors").value()).isEqualTo(List.of());
            assertThat(data.at("payRent.booking.pastDue").value()).isEqualTo(true);
            Json month = data.at("payRent.booking.rent.0");
            assertThat(month.at("sequence").value()).isEqualTo(2);
            assertThat(month.at("status").value()).isEqualTo("PAST_DUE");
            assertThat(month.at("attempts").value()).isEqualTo(1);
            assertThat(month.at("failureCode").string()).isIn("card_declined", "generic_decline");
            assertThat(data.at("payRent.booking.rent.1.status").value()).isEqualTo("SCHEDULED");
            // The declined month's own intent, for Stripe.js to confirm with another card.
            assertThat(data.at("payRent.payment.paymentIntentId").value()).isEqualTo(declined);
            assertThat(data.at("payRent.payment.clientSecret").string()).startsWith(declined + "_secret_");
            assertThat(data.at("payRent.payment.status").value()).isEqualTo("REQUIRES_PAYMENT_METHOD");
            assertThat(data.at("payRent.payment.amount").value()).isEqualTo(month.at("amount").value());
            // Paid in the browser, confirmed by Stripe's webhook: no longer past due.
            StripeMock.FAKE.succeed(declined, "pm_card_visa");
            stripeEvents.deliver(StripeMock.event("evt_rent_" + declined, "payment_intent.succeeded", StripeMock.FAKE.object(declined), null,
                    java.time.Instant.now())).expectStatus().isOk();
            Json after = mutate("test:nomad", "query($id: ID!) { booking(id: $id) { pastDue rent { status } } }", Map.of("id", booking));
            assertThat(after.at("booking.pastDue").value()).isEqualTo(false);
            assertThat(after.at("booking.rent.0.status").value()).isEqualTo("PAID");
        });
    }

    private Scenario moveOutEarly() {
        StripeMock.reset();
        Ref operator = fixtures.operator("lisbon-coliving");
        Ref property = fixtures.property(operator, "Lisbon Coliving");
        Ref unit = fixtures.unit(operator, property, "Room 1", true);
        LocalDate in = inDays(10);
        String booking = paidStay("test:nomad", unit, in, in.plusMonths(3));
        LocalDate moveOut = in.plusMonths(1).plusDays(5);
        return new Scenario("test:nomad", Map.of("BOOKING_ID", booking, "MOVE_OUT_DATE", moveOut.toString()), (data, vars) -> {
            assertThat(data.at("moveOutEarly.userErrors").value()).isEqualTo(List.of());
            assertThat(data.at("moveOutEarly.booking.status").value()).isEqualTo("CONFIRMED");
            assertThat(data.at("moveOutEarly.booking.checkOut").value()).isEqualTo(vars.at("input.moveOutDate").value());
            // Month 2 has begun by the move-out date and stays owed; month 3 is not.
            assertThat(data.at("moveOutEarly.booking.rent.0.status").value()).isEqualTo("SCHEDULED");
            assertThat(data.at("moveOutEarly.booking.rent.1.status").value()).isEqualTo("CANCELLED");
            assertThat(data.at("moveOutEarly.booking.events").value().toString()).contains("moving out early", "future rent stopped");
            // The nights after it can be booked again.
            booked("test:another-nomad", unit, (int) java.time.temporal.ChronoUnit.DAYS.between(inDays(0), moveOut), 5, null);
        });
    }

    private Scenario extendBooking() {
        StripeMock.reset();
        Ref operator = fixtures.operator("canggu-surf-work");
        Ref property = fixtures.property(operator, "Canggu Surf & Work");
        Ref unit = fixtures.unit(operator, property, "Ocean room", true);
        String booking = paidStay("test:nomad", unit, inDays(20), inDays(23));
        // Today's price is higher; the extension keeps the booking's own rate (25.00 a night).
        db.sql("UPDATE unit_pricing SET nightly_rate = 9900 WHERE unit_id = :u").bind("u", unit.uuid()).then().block();
        return new Scenario("test:nomad", Map.of("BOOKING_ID", booking, "CHECK_OUT", inDays(25).toString()), (data, vars) -> {
            assertThat(data.at("extendBooking.userErrors").value()).isEqualTo(List.of());
            assertThat(data.at("extendBooking.booking.checkOut").value()).isEqualTo(vars.at("input.checkOut").value());
            assertThat(data.at("extendBooking.booking.nights").value()).isEqualTo(5);
            assertThat(data.at("extendBooking.booking.status").value()).isEqualTo("CONFIRMED");
            assertThat(data.at("extendBooking.addedQuote.nights").value()).isEqualTo(2);
            assertThat(data.at("extendBooking.addedQuote.total.amount").value()).isEqualTo(5000);
            assertThat(data.at("extendBooking.booking.total.amount").value()).isEqualTo(7500 + 5000);
        });
    }

    private Scenario checkInBooking() {
        StripeMock.reset();
        Ref operator = fixtures.operator("canggu-surf-work");
        String manager = fixtures.staff(operator, "MANAGER");
        Ref property = fixtures.property(operator, "Canggu Surf & Work");
        Ref unit = fixtures.unit(operator, property, "Ocean room", true);
        String booking = paidStay("test:nomad", unit, inDays(0), inDays(3));
        return new Scenario(manager, Map.of("BOOKING_ID", booking), (data, vars) -> {
            assertThat(data.at("checkInBooking.userErrors").value()).isEqualTo(List.of());
            assertThat(data.at("checkInBooking.booking.status").value()).isEqualTo("CHECKED_IN");
            assertThat(data.at("checkInBooking.booking.guest.displayName").value()).isEqualTo("test:nomad");
            List<?> events = (List<?>) data.at("checkInBooking.booking.events").value();
            Json last = data.at("checkInBooking.booking.events." + (events.size() - 1));
            assertThat(last.at("from").value()).isEqualTo("CONFIRMED");
            assertThat(last.at("to").value()).isEqualTo("CHECKED_IN");
            assertThat(last.at("actor").value()).isEqualTo("STAFF");
        });
    }

    private Scenario completeBooking() {
        StripeMock.reset();
        Ref operator = fixtures.operator("canggu-surf-work");
        String manager = fixtures.staff(operator, "MANAGER");
        Ref property = fixtures.property(operator, "Canggu Surf & Work");
        Ref unit = fixtures.unit(operator, property, "Ocean room", true);
        String booking = paidStay("test:nomad", unit, inDays(0), inDays(3));
        mutate(manager, "mutation($id: ID!) { checkInBooking(input: {bookingId: $id}) { booking { status } userErrors { code message } } }",
                Map.of("id", booking));
        return new Scenario(manager, Map.of("BOOKING_ID", booking), (data, vars) -> {
            assertThat(data.at("completeBooking.userErrors").value()).isEqualTo(List.of());
            assertThat(data.at("completeBooking.booking.status").value()).isEqualTo("COMPLETED");
            assertThat(data.at("completeBooking.booking.depositInfo.mode").value()).isEqualTo("CARD_ON_FILE");
            assertThat(data.at("completeBooking.booking.depositInfo.releaseOn").string()).isNotBlank();
            List<?> events = (List<?>) data.at("completeBooking.booking.events").value();
            Json last = data.at("completeBooking.booking.events." + (events.size() - 1));
            assertThat(last.at("from").value()).isEqualTo("CHECKED_IN");
            assertThat(last.at("to").value()).isEqualTo("COMPLETED");
        });
    }

    private Scenario declineBooking() {
        Ref operator = fixtures.operator("youplus-community");
        String manager = fixtures.staff(operator, "MANAGER");
        Ref property = fixtures.property(operator, "Community House");
        Ref unit = fixtures.unit(operator, property, "Room 12", true);
        db.sql("UPDATE unit SET booking_mode = 'REQUEST', booking_questions = ARRAY['Purpose of stay?'] WHERE id = :id")
                .bind("id", unit.uuid()).then().block();
        String booking = booked("test:applicant", unit, 20, 30, List.of("Starting a company"));
        return new Scenario(manager, Map.of("BOOKING_ID", booking), (data, vars) -> {
            assertThat(data.at("declineBooking.userErrors").value()).isEqualTo(List.of());
            assertThat(data.at("declineBooking.booking.status").value()).isEqualTo("DECLINED");
            assertThat(data.at("declineBooking.booking.declineReason").value()).isEqualTo(vars.at("input.reason").value());
            assertThat(data.at("declineBooking.booking.answers.0.answer").value()).isEqualTo("Starting a company");
            // The dates are free again.
            booked("test:another-applicant", unit, 20, 30, List.of("Writing a book"));
        });
    }

    private Scenario setBookingRules() {
        Ref operator = fixtures.operator("canggu-surf-work");
        String manager = fixtures.staff(operator, "MANAGER");
        Ref property = fixtures.property(operator, "Canggu Surf & Work");
        Ref unit = fixtures.unit(operator, property, "Ocean room", true);
        return new Scenario(manager, Map.of("UNIT_ID", unit.id()), (data, vars) -> {
            assertThat(data.at("setBookingRules.userErrors").value()).isEqualTo(List.of());
            Json rules = data.at("setBookingRules.unit.bookingRules");
            assertThat(rules.at("bookingMode").value()).isEqualTo("REQUEST");
            assertThat(rules.at("cancellationPolicy").value()).isEqualTo("LONG_STAY");
            assertThat(rules.at("preparationDays").value()).isEqualTo(1);
            assertThat(rules.at("bookingQuestions").value()).isEqualTo(vars.at("input.bookingQuestions").value());
        });
    }

    private Scenario setRoomType() {
        Ref operator = fixtures.operator("canggu-surf-work");
        String manager = fixtures.staff(operator, "MANAGER");
        Ref property = fixtures.property(operator, "Canggu Surf & Work");
        Ref type = fixtures.unit(operator, property, "Private room (2 of them)", true, "PRIVATE_ROOM", 2, 1, "NIGHT");
        Ref room = fixtures.unit(operator, property, "Room 101", false);
        return new Scenario(manager, Map.of("ROOM_ID", room.id(), "ROOM_TYPE_ID", type.id()), (data, vars) -> {
            assertThat(data.at("setRoomType.userErrors").value()).isEqualTo(List.of());
            assertThat(data.at("setRoomType.unit.id").value()).isEqualTo(room.id());
            assertThat(data.at("setRoomType.unit.status").value()).isEqualTo("DRAFT");
            assertThat(data.at("setRoomType.unit.roomType.id").value()).isEqualTo(type.id());
            assertThat(data.at("setRoomType.unit.roomType.capacity").value()).isEqualTo(2);
            assertThat(data.at("setRoomType.unit.roomType.rooms").value()).isEqualTo(List.of(Map.of("id", room.id(), "name", "Room 101")));
        });
    }

    private Scenario assignBooking() {
        Ref operator = fixtures.operator("canggu-surf-work");
        String manager = fixtures.staff(operator, "MANAGER");
        Ref property = fixtures.property(operator, "Canggu Surf & Work");
        Ref type = fixtures.unit(operator, property, "Private room (2 of them)", true, "PRIVATE_ROOM", 2, 1, "NIGHT");
        Ref room = fixtures.unit(operator, property, "Room 101", false);
        mutate(manager, "mutation($input: SetRoomTypeInput!) { setRoomType(input: $input) { unit { id } userErrors { code message } } }",
                Map.of("input", Map.of("unitId", room.id(), "roomTypeId", type.id())));
        String booking = booked("test:nomad", type, 20, 4, null);
        return new Scenario(manager, Map.of("BOOKING_ID", booking, "ROOM_ID", room.id()), (data, vars) -> {
            assertThat(data.at("assignBooking.userErrors").value()).isEqualTo(List.of());
            assertThat(data.at("assignBooking.booking.unit.id").value()).isEqualTo(type.id());
            assertThat(data.at("assignBooking.booking.assignedUnit.id").value()).isEqualTo(room.id());
            assertThat(data.at("assignBooking.booking.assignedUnit.name").value()).isEqualTo("Room 101");
            assertThat(data.at("assignBooking.booking.events").value().toString()).contains("assigned to Room 101");
            // The room's nights are taken for this booking.
            assertThat(db.sql("SELECT booked FROM unit_calendar WHERE unit_id = :u AND day = :d").bind("u", room.uuid()).bind("d", inDays(21))
                    .map(row -> row.get("booked", Integer.class)).one().block()).isEqualTo(1);
        });
    }

    private Scenario removeCalendarFeed() {
        Ref operator = fixtures.operator("canggu-surf-work");
        String manager = fixtures.staff(operator, "MANAGER");
        Ref property = fixtures.property(operator, "Canggu Surf & Work");
        Ref unit = fixtures.unit(operator, property, "Ocean room", true);
        String feedId = mutate(manager, "mutation($input: AddCalendarFeedInput!) { addCalendarFeed(input: $input) { feed { id } userErrors { code } } }",
                Map.of("input", Map.of("unitId", unit.id(), "url", "https://example.com/calendar.ics", "name", "Elsewhere")))
                .at("addCalendarFeed.feed.id").string();
        return new Scenario(manager, Map.of("FEED_ID", feedId), (data, vars) -> {
            assertThat(data.at("removeCalendarFeed.userErrors").value()).isEqualTo(List.of());
            assertThat(data.at("removeCalendarFeed.removedFeedId").value()).isEqualTo(feedId);
            assertThat(mutate(manager, "query($id: ID!) { stay(id: $id) { unit { calendarFeeds { id } } } }", Map.of("id", unit.id()))
                    .at("stay.unit.calendarFeeds").value()).isEqualTo(List.of());
        });
    }

    private Scenario rotateIcalExportUrl() {
        Ref operator = fixtures.operator("canggu-surf-work");
        String manager = fixtures.staff(operator, "MANAGER");
        Ref property = fixtures.property(operator, "Canggu Surf & Work");
        Ref unit = fixtures.unit(operator, property, "Ocean room", true);
        String old = mutate(manager, "query($id: ID!) { stay(id: $id) { unit { icalExportUrl } } }", Map.of("id", unit.id()))
                .at("stay.unit.icalExportUrl").string();
        return new Scenario(manager, Map.of("UNIT_ID", unit.id()), (data, vars) -> {
            assertThat(data.at("rotateIcalExportUrl.userErrors").value()).isEqualTo(List.of());
            String fresh = data.at("rotateIcalExportUrl.icalExportUrl").string();
            assertThat(fresh).isNotEqualTo(old).contains("/calendars/").endsWith(".ics");
            assertThat(data.at("rotateIcalExportUrl.unit.icalExportUrl").value()).isEqualTo(fresh);
            web.get().uri(java.net.URI.create(old).getPath()).exchange().expectStatus().isNotFound();
            web.get().uri(java.net.URI.create(fresh).getPath()).exchange().expectStatus().isOk();
        });
    }

    private Scenario unitCalendar() {
        Ref operator = fixtures.operator("canggu-surf-work");
        String manager = fixtures.staff(operator, "MANAGER");
        String viewer = fixtures.staff(operator, "VIEWER");
        Ref property = fixtures.property(operator, "Canggu Surf & Work");
        Ref unit = fixtures.unit(operator, property, "Ocean room", true);
        booked("test:nomad", unit, 10, 2, null);
        String blockId = mutate(manager, "mutation($input: BlockDatesInput!) { blockDates(input: $input) { block { id } userErrors { code } } }",
                Map.of("input", Map.of("unitId", unit.id(), "from", inDays(12).toString(), "to", inDays(14).toString(), "note", "Repainting")))
                .at("blockDates.block.id").string();
        return new Scenario(viewer, Map.of("UNIT_ID", unit.id(), "FROM", inDays(10).toString(), "TO", inDays(15).toString()), (data, vars) -> {
            Json days = data.at("stay.unit.calendar");
            assertThat((List<?>) days.value()).hasSize(5);
            // Booked, booked, blocked, blocked, free.
            assertThat(days.at("0.date").value()).isEqualTo(inDays(10).toString());
            assertThat(days.at("0.free").value()).isEqualTo(0);
            assertThat(days.at("0.booked").value()).isEqualTo(1);
            assertThat(days.at("1.booked").value()).isEqualTo(1);
            assertThat(days.at("2.blocked").value()).isEqualTo(true);
            assertThat(days.at("2.free").value()).isEqualTo(0);
            assertThat(days.at("3.blocked").value()).isEqualTo(true);
            assertThat(days.at("4.free").value()).isEqualTo(1);
            assertThat(days.at("4.capacity").value()).isEqualTo(1);
            assertThat(days.at("4.blocked").value()).isEqualTo(false);
            Json blocks = data.at("stay.unit.blocks");
            assertThat((List<?>) blocks.value()).hasSize(1);
            assertThat(blocks.at("0.id").value()).isEqualTo(blockId);
            assertThat(blocks.at("0.startDate").value()).isEqualTo(inDays(12).toString());
            assertThat(blocks.at("0.endDate").value()).isEqualTo(inDays(14).toString());
            assertThat(blocks.at("0.source").value()).isEqualTo("OPERATOR");
            assertThat(blocks.at("0.note").value()).isEqualTo("Repainting");
        });
    }

    private Scenario meetingRoomSlots() {
        Ref operator = fixtures.operator("canggu-surf-work");
        Ref property = fixtures.property(operator, "Canggu Surf & Work");
        Ref room = fixtures.unit(operator, property, "Meeting room Kuta", true, "MEETING_ROOM", 1, 10, "HOUR");
        db.sql("UPDATE unit_pricing SET hourly_rate = 2000, daily_rate = 12000, monthly_rate = NULL, nightly_rate = NULL WHERE unit_id = :id")
                .bind("id", room.uuid()).then().block();
        java.time.ZonedDateTime ten = inDays(3).atTime(10, 0).atZone(BALI);
        mutate("test:nomad", "mutation($input: CreateBookingInput!) { createBooking(input: $input) { booking { id } userErrors { code message } } }",
                Map.of("input", Map.of("unitId", room.id(), "startsAt", ten.toInstant().toString(), "endsAt", ten.plusHours(1).toInstant().toString(),
                        "guests", 4)));
        return new Scenario(null, Map.of("UNIT_ID", room.id(), "FROM", ten.minusMinutes(15).toInstant().toString(),
                "TO", ten.plusMinutes(75).toInstant().toString()), (data, vars) -> {
            assertThat(data.at("stay.unit.type").value()).isEqualTo("MEETING_ROOM");
            assertThat(data.at("stay.unit.bookingGranularity").value()).isEqualTo("HOUR");
            assertThat(data.at("stay.unit.pricing.hourlyRate.amount").value()).isEqualTo(2000);
            Json slots = data.at("stay.unit.slots");
            assertThat((List<?>) slots.value()).hasSize(6);
            assertThat(slots.at("0.startsAt").value()).isEqualTo(vars.at("from").value());
            // 09:45 free, 10:00-11:00 booked (four quarter hours), 11:00 free.
            assertThat(((List<?>) slots.value()).stream().map(s -> ((Map<?, ?>) s).get("free")).toList()).isEqualTo(List.of(1, 0, 0, 0, 0, 1));
        });
    }
}
