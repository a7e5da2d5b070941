package io.nomadstays.support;

import io.nomadstays.identity.DevIssuer;
import io.nomadstays.infra.LocalServices;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Base of every {@code *IntegrationTests} class of the api module: the real application on a
 * random port over a real PostgreSQL and Elasticsearch, started once per build by
 * {@link LocalServices} (infra/bin/services.sh) and shared by all classes through one cached
 * Spring context. Each test starts from empty tables.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "nomad.identity.dev-issuer.enabled=true",
        "nomad.demo.seed-on-startup=false",
        // Tests run the booking jobs themselves, so that a hold a test expires is not expired behind its back.
        "nomad.bookings.job-interval=1h",
        "nomad.payments.deposits.job-interval=1h",
        "nomad.payments.rent.job-interval=1h",
        // Likewise payouts and the reconciliation: tests run their rounds with the time they mean.
        "nomad.payments.payout-interval=1h",
        "nomad.payments.reconcile-interval=1h",
        // Feeds are served by WireMock on localhost; tests run imports themselves. WireMock needs
        // up to about 3 s on a cold, busy machine to start sending a 50 MB body.
        "nomad.calendar-sync.allow-private-addresses=true",
        "nomad.calendar-sync.import-enabled=false",
        "nomad.calendar-sync.connect-timeout=2s",
        "nomad.calendar-sync.read-timeout=5s"})
@AutoConfigureWebTestClient
public abstract class IntegrationTest {

    static final String DATABASE = System.getProperty("nomad.test.database", "nomad_test_api");
    static final LocalServices.Endpoints SERVICES = startServices();

    @Autowired
    protected WebTestClient web;

    @Autowired
    protected DatabaseClient db;

    @Autowired
    protected DevIssuer issuer;

    protected Fixtures fixtures;

    /** Signed Stripe events to the real webhook endpoint. */
    protected StripeEventSender stripeEvents;

    @LocalServerPort
    protected int port;

    private static LocalServices.Endpoints startServices() {
        LocalServices.Endpoints endpoints = LocalServices.ensureStarted();
        LocalServices.createDatabaseIfMissing(endpoints, DATABASE);
        return endpoints;
    }

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        registry.add("spring.r2dbc.url", () -> SERVICES.r2dbcUrl(DATABASE));
        registry.add("spring.r2dbc.username", SERVICES::pgUser);
        registry.add("spring.r2dbc.password", SERVICES::pgPassword);
        registry.add("spring.flyway.url", () -> SERVICES.jdbcUrl(DATABASE));
        registry.add("spring.flyway.user", SERVICES::pgUser);
        registry.add("spring.flyway.password", SERVICES::pgPassword);
        // Through the placeholder application.yml reads, so a test class can still point
        // spring.elasticsearch.uris elsewhere with @TestPropertySource (see SearchUnavailableIntegrationTests).
        registry.add("NOMAD_ES_URL", SERVICES::esUrl);
        // The index alias follows the database, so runs of several worktrees on one Elasticsearch keep apart.
        // Not "test-stays-...": the default run's TestStays.reset deletes test-stays-* indices.
        registry.add("nomad.search.alias", () -> DATABASE.equals("nomad_test_api") ? "test-stays" : DATABASE.replace('_', '-') + "-stays");
        // Stripe is a WireMock server shared by the JVM (StripeMock), with secrets generated per run.
        // No network retries, so tests count requests exactly; a read timeout short enough for the slow-Stripe
        // tests, long enough for a cold first call on a busy 2-core machine.
        registry.add("nomad.payments.stripe.api-base", StripeMock::baseUrl);
        registry.add("nomad.payments.stripe.secret-key", () -> StripeMock.SECRET_KEY);
        registry.add("nomad.payments.stripe.webhook-secret", () -> StripeMock.WEBHOOK_SECRET);
        registry.add("nomad.payments.stripe.connect-webhook-secret", () -> StripeMock.CONNECT_WEBHOOK_SECRET);
        registry.add("nomad.payments.stripe.max-network-retries", () -> "0");
        registry.add("nomad.payments.stripe.connect-timeout", () -> "5s");
        registry.add("nomad.payments.stripe.read-timeout", () -> "5s");
    }

    @BeforeEach
    void cleanDatabase() {
        // Reference data (currency) and Flyway's history stay; everything a test writes goes.
        db.sql("""
                TRUNCATE app_user, operator, staff_membership, property, unit, unit_pricing, unit_long_stay_discount,
                         speed_test, outbox_event, job_lease, stripe_event RESTART IDENTITY CASCADE""").then().block();
        fixtures = new Fixtures(db);
        stripeEvents = new StripeEventSender(web);
    }

    /** A GraphQL client over HTTP without a token. */
    protected HttpGraphQlTester anonymous() {
        return HttpGraphQlTester.create(graphQlClient().build());
    }

    /** A GraphQL client over HTTP carrying a development-issuer token for {@code subject}. */
    protected HttpGraphQlTester as(String subject) {
        String token = issuer.mint(subject, subject, null);
        return HttpGraphQlTester.create(graphQlClient().defaultHeader("Authorization", "Bearer " + token).build());
    }

    /**
     * A client of its own: Boot's auto-configured WebTestClient resolves URIs against the server
     * root with a URI factory that a mutated base URL cannot override.
     */
    private WebTestClient.Builder graphQlClient() {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port + "/graphql").responseTimeout(Duration.ofSeconds(30));
    }

    /** Raw JSON for tests that look at the whole response, errors included. */
    @SuppressWarnings("unchecked")
    protected Map<String, Object> post(String subject, String query, Map<String, Object> variables) {
        // A generous timeout: on a loaded 2-core CI machine a request can take longer than the default 5 s.
        var request = web.mutate().responseTimeout(Duration.ofSeconds(30)).build()
                .post().uri("/graphql").header("Content-Type", "application/json");
        if (subject != null) {
            request = request.header("Authorization", "Bearer " + issuer.mint(subject, subject, null));
        }
        return request.bodyValue(Map.of("query", query, "variables", variables))
                .exchange()
                .expectStatus().isOk()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
    }
}
