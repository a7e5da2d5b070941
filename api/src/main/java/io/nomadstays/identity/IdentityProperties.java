package io.nomadstays.identity;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Identity settings. A real identity provider is configured with Spring Boot's own
 * {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} or {@code jwk-set-uri}; the
 * development issuer replaces it in the local run and in tests only.
 */
@ConfigurationProperties("nomad.identity")
public record IdentityProperties(@DefaultValue DevIssuer devIssuer) {

    /**
     * @param enabled  mint tokens for demo users locally; refused when the {@code prod} profile is active
     * @param issuer   the {@code iss} claim of minted tokens
     * @param tokenTtl lifetime of a minted token
     */
    public record DevIssuer(@DefaultValue("false") boolean enabled,
                            @DefaultValue("nomad-stays-dev-issuer") String issuer,
                            @DefaultValue("12h") Duration tokenTtl) {
    }
}
