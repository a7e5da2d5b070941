package io.nomadstays.identity;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;

/**
 * HTTP security: the API is an OAuth2 resource server. A request without a token is anonymous
 * (search and public listings need no sign-in); a request with a bad token is refused with 401.
 * Who may do what to which operator's data is decided per operation, against the {@link Caller}.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    @Bean
    SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, ObjectProvider<ReactiveJwtDecoder> decoders) {
        if (decoders.getIfAvailable() == null) {
            throw new IllegalStateException("No identity provider is configured: set "
                    + "spring.security.oauth2.resourceserver.jwt.issuer-uri (or jwk-set-uri) to your provider, or run "
                    + "locally with --spring.profiles.active=demo for the development token issuer");
        }
        return http
                // Bearer tokens only, no cookies or sessions: CSRF does not apply.
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                // Nor a WebSession: by default every request would look one up (cookie parsing, a session
                // object) to load a security context and a saved request that can never be there.
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .authorizeExchange(ex -> ex
                        .pathMatchers("/actuator/health/**", "/actuator/health", "/actuator/info", "/actuator/prometheus").permitAll()
                        .pathMatchers("/actuator/**").denyAll()
                        // Stripe signs its webhooks (checked on the raw body); it sends no token.
                        .pathMatchers(HttpMethod.POST, "/webhooks/stripe").permitAll()
                        .anyExchange().permitAll())
                .oauth2ResourceServer(oauth -> oauth.jwt(jwt -> { }))
                .build();
    }

    /**
     * No observations inside the security filter chain. {@code http.server.requests} already times
     * every request; Spring Security would otherwise wrap each filter of the chain, and the
     * authentication and authorisation, in observations of their own, which even when a predicate
     * turns them off cost a search their wrappers and Reactor checkpoints (docs/benchmarks.md,
     * "Profiling").
     */
    @Bean
    SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }
}
