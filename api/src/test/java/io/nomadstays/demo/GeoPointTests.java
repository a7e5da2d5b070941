package io.nomadstays.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GeoPointTests {

    @Test
    void offsetMovesByTheGivenKilometres() {
        GeoPoint lisbon = City.named("Lisbon").centre();

        GeoPoint moved = lisbon.offsetKm(3, -4);

        assertThat(lisbon.distanceKm(moved)).isCloseTo(5.0, within(0.05));
        assertThat(moved.latitude()).isGreaterThan(lisbon.latitude());
        assertThat(moved.longitude()).isLessThan(lisbon.longitude());
    }

    @Test
    void longitudeWrapsAcrossTheAntimeridian() {
        // Nadi lies just west of 180°E, Apia just east of 180°W; pushing past the line must wrap, not overflow.
        GeoPoint eastOfNadi = new GeoPoint(-17.7765, 179.95).offsetKm(0, 10);
        GeoPoint westOfApia = new GeoPoint(-13.8333, -179.95).offsetKm(0, -10);

        assertThat(eastOfNadi.longitude()).isBetween(-180.0, -179.0);
        assertThat(westOfApia.longitude()).isBetween(179.0, 180.0);
        assertThat(new GeoPoint(-17.7765, 179.95).distanceKm(eastOfNadi)).isCloseTo(10.0, within(0.05));
    }
}
