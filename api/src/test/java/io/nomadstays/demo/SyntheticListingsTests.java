package io.nomadstays.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SyntheticListingsTests {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final List<UUID> OPERATORS = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());

    private final SyntheticListings listings = listings(42);

    private static SyntheticListings listings(long seed) {
        Map<String, Integer> minorUnits = new HashMap<>();
        for (City city : City.all()) {
            minorUnits.put(city.currency(), Set.of("JPY", "KRW", "CLP", "VND").contains(city.currency()) ? 0 : 2);
        }
        return new SyntheticListings(seed, PriceBook.load(), minorUnits, OPERATORS, NOW);
    }

    @Test
    void theSameNumberGivesTheSameUnitOnEveryRun() {
        SyntheticListings again = listings(42);
        for (long i : new long[] {0, 1, 4, 5, 999, 99_999}) {
            assertThat(again.unit(i)).isEqualTo(listings.unit(i));
            assertThat(again.property(SyntheticListings.propertyIndexOf(i)))
                    .isEqualTo(listings.property(SyntheticListings.propertyIndexOf(i)));
        }
        assertThat(listings(7).unit(3)).isNotEqualTo(listings.unit(3));
        assertThat(listings(7).unit(3).id()).isEqualTo(listings.unit(3).id());
    }

    @Test
    void idsAreDistinctAndFollowTheUnitNumber() {
        Set<UUID> ids = new HashSet<>();
        UUID previous = null;
        for (long i = 0; i < 10_000; i++) {
            UUID id = SyntheticListings.unitId(i);
            assertThat(id.version()).isEqualTo(7);
            assertThat(ids.add(id)).isTrue();
            if (previous != null) {
                assertThat(id.getMostSignificantBits() >>> 16).isGreaterThan(previous.getMostSignificantBits() >>> 16);
            }
            previous = id;
        }
        assertThat(SyntheticListings.propertyId(3)).isNotEqualTo(SyntheticListings.unitId(3));
    }

    @Test
    void unitsBelongToTheirPropertyAndMakeSense() {
        Set<UnitType> types = EnumSet.noneOf(UnitType.class);
        Set<String> cities = new HashSet<>();
        for (long i = 0; i < 5_000; i++) {
            ListingWriter.Unit unit = listings.unit(i);
            ListingWriter.Property property = listings.property(SyntheticListings.propertyIndexOf(i));
            types.add(unit.type());
            cities.add(property.city().name());

            assertThat(unit.propertyId()).isEqualTo(property.id());
            assertThat(unit.operatorId()).isEqualTo(property.operatorId());
            assertThat(unit.published()).isTrue();
            assertThat(unit.pricing().currency()).isEqualTo(property.city().currency());
            assertThat(unit.minStay()).isLessThanOrEqualTo(unit.maxStay());
            assertThat(property.city().centre().distanceKm(property.location()))
                    .isLessThanOrEqualTo(SyntheticListings.RADIUS_KM + 0.05);
            switch (unit.type()) {
                case HOT_DESK -> assertThat(unit.granularity()).isEqualTo(Granularity.DAY);
                case MEETING_ROOM -> assertThat(unit.pricing().hourly()).isPositive();
                case BED -> assertThat(unit.capacity()).isGreaterThanOrEqualTo(4);
                default -> { }
            }
            for (Long rate : new Long[] {unit.pricing().hourly(), unit.pricing().nightly(), unit.pricing().daily(),
                    unit.pricing().monthly()}) {
                assertThat(rate == null || rate > 0).as("unit %d rates %s", i, unit.pricing()).isTrue();
            }
        }
        assertThat(types).containsExactlyInAnyOrder(UnitType.values());
        assertThat(cities).hasSizeGreaterThanOrEqualTo(60);
    }

    @Test
    void pricesFollowTheCityAndTheCurrency() {
        // A private room by the month, in USD minor units, stays within a plausible band for its city.
        for (long i = 0; i < 5_000; i++) {
            ListingWriter.Unit unit = listings.unit(i);
            ListingWriter.Property property = listings.property(SyntheticListings.propertyIndexOf(i));
            if (unit.type() == UnitType.PRIVATE_ROOM && property.city().currency().equals("USD")) {
                assertThat(unit.pricing().monthly()).isBetween(20_000L, 400_000L);
            }
            if (unit.type() == UnitType.STUDIO && property.city().name().equals("Canggu")) {
                // IDR: several million rupiah a month, two minor units.
                assertThat(unit.pricing().monthly()).isBetween(500_000_000L, 2_000_000_000L);
            }
        }
    }

    @Test
    void speedTestsAreRecentAndFromSeveralSources() {
        Set<ListingWriter.Source> sources = EnumSet.noneOf(ListingWriter.Source.class);
        boolean fast = false;
        boolean slow = false;
        for (long p = 0; p < 200; p++) {
            for (ListingWriter.SpeedTest test : listings.speedTests(p)) {
                sources.add(test.source());
                fast |= test.downloadMbps() >= 50;
                slow |= test.downloadMbps() < 50;
                assertThat(test.measuredAt()).isBetween(NOW.minus(Duration.ofDays(90)), NOW);
            }
        }
        assertThat(sources).containsExactlyInAnyOrder(ListingWriter.Source.values());
        assertThat(fast).isTrue();
        assertThat(slow).isTrue();
    }
}
