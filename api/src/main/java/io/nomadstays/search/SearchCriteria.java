package io.nomadstays.search;

import io.nomadstays.unit.Unit;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/**
 * A validated search: every value in range, prices already in US cents, dates resolved to a stay
 * length. Built only by {@link SearchValidation}.
 */
record SearchCriteria(String city, GeoCircle near, GeoBox bounds, Long minUsd, Long maxUsd, SearchInput.Period period,
                      Double minDownloadMbps, boolean verifiedOnly, LocalDate checkIn, LocalDate checkOut,
                      Flexible flexible, Integer guests, Set<Unit.UnitType> unitTypes, List<String> amenities,
                      Boolean furnished, Double minSizeM2, String text, List<String> operatorIds,
                      String displayCurrency, SearchInput.Sort sort) {

    record GeoCircle(double lat, double lon, double radiusKm) {
    }

    /** A viewport; {@code west > east} means it crosses the antimeridian. */
    record GeoBox(double north, double south, double east, double west) {

        boolean crossesAntimeridian() {
            return west > east;
        }

        double centreLat() {
            return (north + south) / 2;
        }

        double centreLon() {
            double east = crossesAntimeridian() ? this.east + 360 : this.east;
            double lon = (west + east) / 2;
            return lon > 180 ? lon - 360 : lon;
        }
    }

    /** @param months the length as asked in months (then {@code nights} is months x 30), else null */
    record Flexible(LocalDate earliest, LocalDate latest, int nights, Integer months) {
    }

    boolean hasDates() {
        return checkIn != null;
    }

    /** Flexible dates for more than one guest: the search that reads {@code group_windows}. */
    boolean flexibleForGroup() {
        return flexible != null && guests != null && guests > 1;
    }

    /** The point distances are measured from: {@code near}, else the viewport centre. */
    double[] origin() {
        if (near != null) {
            return new double[] {near.lat(), near.lon()};
        }
        if (bounds != null) {
            return new double[] {bounds.centreLat(), bounds.centreLon()};
        }
        return null;
    }
}
