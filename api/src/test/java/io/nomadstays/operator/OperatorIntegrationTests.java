package io.nomadstays.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.nomadstays.support.Fixtures;
import io.nomadstays.support.IntegrationTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorIntegrationTests extends IntegrationTest {

    private static final String CREATE = """
            mutation($input: CreateOperatorInput!) {
              createOperator(input: $input) {
                operator { id slug name defaultCurrency viewerRole }
                userErrors { field code message }
              }
            }""";

    @Test
    void platformAdminCreatesAnOperatorWithAnOwner() {
        fixtures.admin("test:admin");
        Fixtures.Ref owner = fixtures.user("test:owner");

        as("test:admin").document(CREATE)
                .variable("input", Map.of("slug", "canggu-surf-work", "name", "Canggu Surf & Work", "defaultCurrency", "usd",
                        "commissionBps", 1200, "ownerUserId", owner.id()))
                .execute()
                .path("createOperator.userErrors").entityList(Object.class).hasSize(0)
                .path("createOperator.operator.slug").entity(String.class).isEqualTo("canggu-surf-work")
                .path("createOperator.operator.defaultCurrency").entity(String.class).isEqualTo("USD");

        as("test:owner").document("{ me { memberships { role operator { slug } } } }")
                .execute()
                .path("me.memberships[0].role").entity(String.class).isEqualTo("OWNER")
                .path("me.memberships[0].operator.slug").entity(String.class).isEqualTo("canggu-surf-work");
        assertThat(fixtures.count("operator")).isEqualTo(1);
    }

    @Test
    void onlyPlatformAdminsCreateOperators() {
        fixtures.user("test:nina");
        var input = Map.<String, Object>of("slug", "sneaky", "name", "Sneaky", "defaultCurrency", "USD");

        as("test:nina").document(CREATE).variable("input", input).execute()
                .path("createOperator.operator").valueIsNull()
                .path("createOperator.userErrors[0].code").entity(String.class).isEqualTo("FORBIDDEN");
        anonymous().document(CREATE).variable("input", input).execute()
                .path("createOperator.userErrors[0].code").entity(String.class).isEqualTo("UNAUTHENTICATED");
        assertThat(fixtures.count("operator")).isZero();
    }

    @Test
    void everyInvalidFieldIsReportedAndNothingIsWritten() {
        fixtures.admin("test:admin");
        Fixtures.Ref op = fixtures.operator("taken");

        Map<String, Object> response = post("test:admin", CREATE, Map.of("input", Map.of(
                "slug", "Not A Slug!", "name", "x".repeat(201), "defaultCurrency", "XYZ",
                "commissionBps", 10_001, "ownerUserId", op.id())));

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> errors = (List<Map<String, Object>>) ((Map<String, Object>) ((Map<String, Object>)
                response.get("data")).get("createOperator")).get("userErrors");
        assertThat(errors).extracting(e -> e.get("code"))
                .containsExactlyInAnyOrder("INVALID_FORMAT", "TOO_LONG", "OUT_OF_RANGE", "WRONG_ID_TYPE", "INVALID_CURRENCY");
        assertThat(errors).extracting(e -> e.get("field"))
                .contains(List.of("input", "slug"), List.of("input", "name"), List.of("input", "commissionBps"),
                        List.of("input", "ownerUserId"));
        assertThat(fixtures.count("operator")).isEqualTo(1);
    }

    @Test
    void unknownCurrencyAndTakenSlugAreUserErrors() {
        fixtures.admin("test:admin");
        fixtures.operator("taken");

        as("test:admin").document(CREATE)
                .variable("input", Map.of("slug", "taken", "name", "Again", "defaultCurrency", "ABC"))
                .execute()
                .path("createOperator.userErrors[*].code").entityList(String.class)
                .containsExactly("INVALID_CURRENCY", "ALREADY_EXISTS");
        assertThat(fixtures.count("operator")).isEqualTo(1);
    }

    @Test
    void operatorsArePublicBySlugAndStaffSeeTheirRoleAndColleagues() {
        Fixtures.Ref op = fixtures.operator("hutong-hub");
        String manager = fixtures.staff(op, "MANAGER");
        fixtures.staff(op, "VIEWER");

        anonymous().document("{ operator(slug: \"hutong-hub\") { slug viewerRole staff { role } } }").execute()
                .path("operator.slug").entity(String.class).isEqualTo("hutong-hub")
                .path("operator.viewerRole").valueIsNull()
                .path("operator.staff").valueIsNull();
        as(manager).document("{ operator(slug: \"HUTONG-HUB\") { viewerRole staff { role } } }").execute()
                .path("operator.viewerRole").entity(String.class).isEqualTo("MANAGER")
                .path("operator.staff[*].role").entityList(String.class).containsExactly("MANAGER", "VIEWER");
        anonymous().document("{ operator(slug: \"nobody\") { slug } }").execute()
                .path("operator").valueIsNull();
    }

    @Test
    void meIsNullForAnonymousCallersAndCreatesTheUserOnFirstSight() {
        anonymous().document("{ me { id } }").execute().path("me").valueIsNull();

        as("test:new-nomad").document("{ me { id displayName isPlatformAdmin memberships { role } } }").execute()
                .path("me.displayName").entity(String.class).isEqualTo("test:new-nomad")
                .path("me.isPlatformAdmin").entity(Boolean.class).isEqualTo(false)
                .path("me.memberships").entityList(Object.class).hasSize(0);
        assertThat(fixtures.count("app_user")).isEqualTo(1);
    }
}
