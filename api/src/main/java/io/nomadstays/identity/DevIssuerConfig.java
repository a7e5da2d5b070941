package io.nomadstays.identity;

import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Wires the development issuer when {@code nomad.identity.dev-issuer.enabled=true}: its decoder
 * replaces the one Spring Boot would build from an issuer URI, and {@code /dev/tokens} hands out
 * tokens for the demo users (subjects starting with {@code demo:}) to paste into GraphiQL.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "nomad.identity.dev-issuer.enabled", havingValue = "true")
class DevIssuerConfig {

    @Bean
    DevIssuer devIssuer(IdentityProperties properties, Environment environment) {
        return new DevIssuer(properties.devIssuer(), environment);
    }

    @Bean
    ReactiveJwtDecoder devJwtDecoder(DevIssuer issuer) {
        return issuer.decoder();
    }

    @Bean
    RouterFunction<ServerResponse> devTokenRoutes(DevIssuer issuer, DatabaseClient db) {
        return RouterFunctions.route()
                .GET("/dev/jwks.json", req -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(issuer.jwks()))
                .GET("/dev/tokens", req -> db.sql("""
                                SELECT subject, display_name, email, platform_admin
                                  FROM app_user WHERE subject LIKE 'demo:%' ORDER BY subject""")
                        .map((row, meta) -> Map.<String, Object>of(
                                "subject", row.get("subject", String.class),
                                "displayName", String.valueOf(row.get("display_name", String.class)),
                                "platformAdmin", row.get("platform_admin", Boolean.class),
                                "authorization", "Bearer " + issuer.mint(row.get("subject", String.class),
                                        row.get("display_name", String.class), row.get("email", String.class))))
                        .all().collectList()
                        .flatMap(users -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                                .bodyValue(Map.of("hint", "Paste one 'authorization' value as the Authorization header in GraphiQL",
                                        "users", users))))
                .GET("/dev/token", req -> {
                    String subject = req.queryParam("subject").orElse("");
                    if (!subject.startsWith("demo:") || subject.length() > 255) {
                        return ServerResponse.badRequest().bodyValue(Map.of("error", "subject must start with 'demo:'"));
                    }
                    return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                            .bodyValue(Map.of("token", issuer.mint(subject, req.queryParam("name").orElse(null), null)));
                })
                .build();
    }
}
