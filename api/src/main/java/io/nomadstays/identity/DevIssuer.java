package io.nomadstays.identity;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * A development token issuer: an RSA key made at start-up (never stored, never committed) that
 * signs tokens for demo users, and the decoder that trusts only that key. It exists so the
 * local run and the tests exercise the same JWT path as production. It refuses to exist when the
 * {@code prod} profile is active.
 */
public final class DevIssuer {

    private final IdentityProperties.DevIssuer settings;
    private final RSAKey key;
    private final NimbusJwtEncoder encoder;

    DevIssuer(IdentityProperties.DevIssuer settings, Environment environment) {
        refuseInProduction(settings, environment.getActiveProfiles());
        this.settings = settings;
        KeyPair pair = generate();
        this.key = new RSAKey.Builder((RSAPublicKey) pair.getPublic())
                .privateKey((RSAPrivateKey) pair.getPrivate())
                .keyID(UUID.randomUUID().toString())
                .build();
        this.encoder = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(key)));
    }

    static void refuseInProduction(IdentityProperties.DevIssuer settings, String[] activeProfiles) {
        if (settings.enabled() && Arrays.asList(activeProfiles).contains("prod")) {
            throw new IllegalStateException("nomad.identity.dev-issuer.enabled=true is refused with the 'prod' profile: "
                    + "configure spring.security.oauth2.resourceserver.jwt.issuer-uri for a real identity provider");
        }
    }

    /** A signed token for {@code subject}, as a real identity provider would issue it. */
    public String mint(String subject, String name, String email) {
        Instant now = Instant.now();
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
                .issuer(settings.issuer())
                .subject(subject)
                .issuedAt(now)
                .expiresAt(now.plus(settings.tokenTtl()));
        if (name != null) {
            claims.claim("name", name);
        }
        if (email != null) {
            claims.claim("email", email);
        }
        JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).keyId(key.getKeyID()).build();
        return encoder.encode(JwtEncoderParameters.from(header, claims.build())).getTokenValue();
    }

    public String jwks() {
        return new JWKSet(key.toPublicJWK()).toString();
    }

    ReactiveJwtDecoder decoder() {
        try {
            NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withPublicKey(key.toRSAPublicKey())
                    .signatureAlgorithm(SignatureAlgorithm.RS256)
                    .build();
            decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                    new JwtTimestampValidator(), new JwtIssuerValidator(settings.issuer())));
            return decoder;
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
