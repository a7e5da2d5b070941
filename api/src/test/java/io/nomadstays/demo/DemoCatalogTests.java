package io.nomadstays.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.nomadstays.demo.DemoCatalog.OperatorSeed;
import io.nomadstays.demo.DemoCatalog.PropertySeed;
import io.nomadstays.demo.DemoCatalog.UnitSeed;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Checks the hand-written data against the schema's rules before any database sees it. */
class DemoCatalogTests {

    private final List<OperatorSeed> operators = DemoCatalog.operators();

    @Test
    void nineOperatorsWithValidUniqueSlugs() {
        assertThat(operators).hasSize(9);
        assertThat(operators).extracting(OperatorSeed::slug).doesNotHaveDuplicates()
                .allMatch(slug -> slug.matches("^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$"));
    }

    @Test
    void coversTheCitiesTheDemoMustShow() {
        Set<String> cities = new HashSet<>();
        properties().forEach(p -> cities.add(City.named(p.city()).name()));
        assertThat(cities).contains("Canggu", "New York", "Los Angeles", "Beijing", "Shanghai", "Dali", "Lisbon",
                "Chiang Mai", "Mexico City", "Berlin");
    }

    @Test
    void everyUnitFitsTheSchema() {
        Set<String> keys = new HashSet<>();
        for (OperatorSeed operator : operators) {
            for (PropertySeed property : operator.properties()) {
                assertThat(property.name().length()).isBetween(1, 200);
                assertThat(property.amenities()).allMatch(a -> a.equals(a.toLowerCase()));
                for (UnitSeed unit : property.units()) {
                    String key = operator.slug() + "/" + property.key() + "/" + unit.key();
                    assertThat(keys.add(key)).as("unique key %s", key).isTrue();
                    assertThat(unit.minStay()).as(key).isPositive();
                    assertThat(unit.maxStay()).as(key).isGreaterThanOrEqualTo(unit.minStay());
                    assertThat(Stream.of(unit.rates().hourly(), unit.rates().nightly(), unit.rates().daily(),
                            unit.rates().weekly(), unit.rates().monthly())).as(key).anyMatch(r -> r != null && r > 0);
                    switch (unit.type()) {
                        case MEETING_ROOM -> assertThat(unit.granularity()).as(key).isEqualTo(Granularity.HOUR);
                        case HOT_DESK -> assertThat(unit.granularity()).as(key).isEqualTo(Granularity.DAY);
                        default -> { }
                    }
                }
            }
        }
    }

    @Test
    void theOperatorsLookLikeTheirKinds() {
        OperatorSeed hostel = operator("canggu-surf-work");
        assertThat(units(hostel)).anyMatch(u -> u.type() == UnitType.BED && u.capacity() == 8)
                .anyMatch(u -> u.type() == UnitType.HOT_DESK && u.capacity() == 30);
        assertThat(hostel.properties()).extracting(PropertySeed::currency).contains("USD", "IDR");

        assertThat(units(operator("nook-micro"))).allMatch(u -> u.sizeM2() >= 24 && u.sizeM2() <= 28 && u.furnished());
        assertThat(units(operator("casa-common"))).anyMatch(u -> !u.furnished());
        assertThat(units(operator("hutong-commons"))).anyMatch(u -> u.type().isWorkspace())
                .anyMatch(u -> !u.type().isWorkspace());
        assertThat(operator("fangyu").properties()).extracting(PropertySeed::name).anyMatch(n -> n.contains("大理"));
        assertThat(units(operator("meridian-work"))).allMatch(u -> u.type().isWorkspace());
        assertThat(units(operator("hearth-living"))).anyMatch(u -> u.rates().monthly() != null && u.rates().monthly() == 1500);
    }

    private OperatorSeed operator(String slug) {
        return operators.stream().filter(o -> o.slug().equals(slug)).findFirst().orElseThrow();
    }

    private static List<UnitSeed> units(OperatorSeed operator) {
        return operator.properties().stream().flatMap(p -> p.units().stream()).toList();
    }

    private Stream<PropertySeed> properties() {
        return operators.stream().flatMap(o -> o.properties().stream());
    }
}
