package io.nomadstays.search;

import io.nomadstays.unit.Unit;
import java.time.LocalDate;
import java.util.List;

/** The GraphQL input of {@code searchStays}, as sent: nothing here is validated yet. */
record SearchInput(String city, Near near, Bounds bounds, PriceRange price, Double minDownloadMbps,
                   Boolean verifiedInternetOnly, Dates dates, FlexibleDates flexibleDates, Integer guests,
                   List<Unit.UnitType> unitTypes, List<String> amenities, Boolean furnished, Double minSizeM2,
                   String text, List<String> operatorIds, String currency) {

    record Near(Double lat, Double lon, Double radiusKm) {
    }

    record Bounds(Double north, Double south, Double east, Double west) {
    }

    record PriceRange(Long min, Long max, String currency, Period period) {
    }

    enum Period { NIGHT, MONTH }

    record Dates(LocalDate checkIn, LocalDate checkOut) {
    }

    record FlexibleDates(LocalDate earliestCheckIn, LocalDate latestCheckIn, Integer nights, Integer months) {
    }

    enum Sort { RELEVANCE, PRICE_ASC, PRICE_DESC, DISTANCE, DOWNLOAD_SPEED_DESC }
}
