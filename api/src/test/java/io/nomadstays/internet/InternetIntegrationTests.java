package io.nomadstays.internet;

import static org.assertj.core.api.Assertions.assertThat;

import io.nomadstays.support.Fixtures;
import io.nomadstays.support.IntegrationTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InternetIntegrationTests extends IntegrationTest {

    private static final String RECORD = """
            mutation($input: RecordSpeedTestInput!) { recordSpeedTest(input: $input) {
              speedTest { id downloadMbps source measuredAt }
              property { internet { medianDownloadMbps medianUploadMbps testCount verified fast } }
              userErrors { field code message } } }""";
    private static final String SUBMIT = """
            mutation($input: SubmitSpeedTestInput!) { submitSpeedTest(input: $input) {
              property { internet { medianDownloadMbps testCount verified fast } } userErrors { field code message } } }""";
    private static final String INTERNET = "query($id: ID!) { property(id: $id) { internet { medianDownloadMbps testCount verified fast lastMeasuredAt } } }";

    private Fixtures.Ref operator;
    private Fixtures.Ref property;
    private String manager;

    @BeforeEach
    void listedProperty() {
        operator = fixtures.operator("chiang-mai-nest");
        property = fixtures.property(operator, "Nest");
        fixtures.unit(operator, property, "Room", true);
        manager = fixtures.staff(operator, "MANAGER");
    }

    @Test
    void operatorTestsGiveAMedianButAreNotVerified() {
        as(manager).document(RECORD).variable("input", Map.of("propertyId", property.id(), "downloadMbps", 30.0, "uploadMbps", 10.0)).execute()
                .path("recordSpeedTest.speedTest.source").entity(String.class).isEqualTo("OPERATOR");
        as(manager).document(RECORD).variable("input", Map.of("propertyId", property.id(), "downloadMbps", 80.0, "uploadMbps", 20.0)).execute();
        as(manager).document(RECORD).variable("input", Map.of("propertyId", property.id(), "downloadMbps", 120.0, "uploadMbps", 40.0)).execute()
                .path("recordSpeedTest.property.internet.medianDownloadMbps").entity(Double.class).isEqualTo(80.0)
                .path("recordSpeedTest.property.internet.medianUploadMbps").entity(Double.class).isEqualTo(20.0)
                .path("recordSpeedTest.property.internet.testCount").entity(Integer.class).isEqualTo(3)
                .path("recordSpeedTest.property.internet.verified").entity(Boolean.class).isEqualTo(false)
                .path("recordSpeedTest.property.internet.fast").entity(Boolean.class).isEqualTo(true);
        assertThat(fixtures.count("outbox_event")).isEqualTo(3);
    }

    @Test
    void twoDifferentGuestsVerifyAndOneGuestTwiceDoesNot() {
        as("test:guest-1").document(SUBMIT).variable("input", Map.of("propertyId", property.id(), "downloadMbps", 40.0, "uploadMbps", 5.0)).execute();
        as("test:guest-1").document(SUBMIT).variable("input", Map.of("propertyId", property.id(), "downloadMbps", 42.0, "uploadMbps", 5.0)).execute()
                .path("submitSpeedTest.property.internet.verified").entity(Boolean.class).isEqualTo(false);
        as("test:guest-2").document(SUBMIT).variable("input", Map.of("propertyId", property.id(), "downloadMbps", 44.0, "uploadMbps", 5.0)).execute()
                .path("submitSpeedTest.property.internet.verified").entity(Boolean.class).isEqualTo(true)
                .path("submitSpeedTest.property.internet.fast").entity(Boolean.class).isEqualTo(false)
                .path("submitSpeedTest.property.internet.medianDownloadMbps").entity(Double.class).isEqualTo(42.0);
    }

    @Test
    void aProbeVerifiesButOnlyPlatformAdminsRecordProbes() {
        as(manager).document(RECORD).variable("input", Map.of("propertyId", property.id(), "downloadMbps", 100.0, "uploadMbps", 50.0, "source", "PROBE")).execute()
                .path("recordSpeedTest.userErrors[0].code").entity(String.class).isEqualTo("FORBIDDEN");
        fixtures.admin("test:probe");
        as("test:probe").document(RECORD).variable("input", Map.of("propertyId", property.id(), "downloadMbps", 100.0, "uploadMbps", 50.0, "source", "PROBE")).execute()
                .path("recordSpeedTest.property.internet.verified").entity(Boolean.class).isEqualTo(true);
    }

    @Test
    void testsOlderThanNinetyDaysDoNotCount() {
        db.sql("""
                INSERT INTO speed_test (id, operator_id, property_id, download_mbps, upload_mbps, measured_at, source)
                VALUES (gen_random_uuid(), :op, :p, 5, 1, now() - interval '91 days', 'PROBE')""")
                .bind("op", operator.uuid()).bind("p", property.uuid()).then().block();
        anonymous().document(INTERNET).variable("id", property.id()).execute().path("property.internet").valueIsNull();

        as(manager).document(RECORD).variable("input", Map.of("propertyId", property.id(), "downloadMbps", 60.0, "uploadMbps", 10.0,
                        "measuredAt", Instant.now().minus(89, ChronoUnit.DAYS).toString())).execute();
        anonymous().document(INTERNET).variable("id", property.id()).execute()
                .path("property.internet.testCount").entity(Integer.class).isEqualTo(1)
                .path("property.internet.verified").entity(Boolean.class).isEqualTo(false)
                .path("property.internet.medianDownloadMbps").entity(Double.class).isEqualTo(60.0);
    }

    @Test
    void impossibleMeasurementsAreUserErrors() {
        @SuppressWarnings("unchecked")
        var data = (Map<String, Map<String, Object>>) post(manager, RECORD, Map.of("input", Map.of("propertyId", property.id(),
                "downloadMbps", -1.0, "uploadMbps", 100_001.0, "latencyMs", 5.0,
                "measuredAt", Instant.now().plus(1, ChronoUnit.DAYS).toString()))).get("data");
        assertThat(data.get("recordSpeedTest").get("userErrors").toString())
                .contains("[input, downloadMbps]").contains("[input, uploadMbps]").contains("[input, measuredAt]");
        assertThat(fixtures.count("speed_test")).isZero();
    }

    @Test
    void guestsCannotReportForUnlistedProperties() {
        Fixtures.Ref hidden = fixtures.property(operator, "Not yet listed");
        as("test:guest").document(SUBMIT).variable("input", Map.of("propertyId", hidden.id(), "downloadMbps", 10.0, "uploadMbps", 1.0)).execute()
                .path("submitSpeedTest.userErrors[0].code").entity(String.class).isEqualTo("NOT_FOUND");
        anonymous().document(SUBMIT).variable("input", Map.of("propertyId", property.id(), "downloadMbps", 10.0, "uploadMbps", 1.0)).execute()
                .path("submitSpeedTest.userErrors[0].code").entity(String.class).isEqualTo("UNAUTHENTICATED");
        assertThat(fixtures.count("speed_test")).isZero();
    }
}
