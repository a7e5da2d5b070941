package io.nomadstays.identity;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nomadstays.NomadStaysApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;

/** The production profile refuses to start with the development token issuer, whatever else is set. */
class ProductionConfigurationIntegrationTests {

    @Test
    void prodProfileWithTheDevIssuerDoesNotStart() {
        SpringApplication app = new SpringApplication(NomadStaysApplication.class);
        assertThatThrownBy(() -> app.run("--spring.profiles.active=prod", "--nomad.identity.dev-issuer.enabled=true",
                "--server.port=0", "--spring.flyway.enabled=false", "--spring.r2dbc.url=r2dbc:postgresql://127.0.0.1:1/none"))
                .hasStackTraceContaining("refused with the 'prod' profile");
    }

    @Test
    void withoutAnIdentityProviderTheAppSaysWhatToConfigure() {
        SpringApplication app = new SpringApplication(NomadStaysApplication.class);
        assertThatThrownBy(() -> app.run("--server.port=0", "--spring.flyway.enabled=false",
                "--spring.r2dbc.url=r2dbc:postgresql://127.0.0.1:1/none", "--nomad.search.indexer.enabled=false"))
                .hasStackTraceContaining("spring.security.oauth2.resourceserver.jwt.issuer-uri");
    }
}
