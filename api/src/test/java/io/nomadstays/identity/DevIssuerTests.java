package io.nomadstays.identity;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DevIssuerTests {

    @Test
    void cannotBeSwitchedOnWithTheProdProfile() {
        var enabled = new IdentityProperties.DevIssuer(true, "dev", Duration.ofHours(1));
        assertThatThrownBy(() -> DevIssuer.refuseInProduction(enabled, new String[] {"demo", "prod"}))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("prod");
        assertThatCode(() -> DevIssuer.refuseInProduction(enabled, new String[] {"demo"})).doesNotThrowAnyException();
        var disabled = new IdentityProperties.DevIssuer(false, "dev", Duration.ofHours(1));
        assertThatCode(() -> DevIssuer.refuseInProduction(disabled, new String[] {"prod"})).doesNotThrowAnyException();
    }
}
