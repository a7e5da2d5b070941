package io.nomadstays.search;

import io.nomadstays.graphql.ApiException;
import io.nomadstays.index.ExchangeRates;
import io.nomadstays.graphql.GlobalId;
import io.nomadstays.graphql.UserErrorCode;
import io.nomadstays.graphql.Validator;
import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Turns a raw {@link SearchInput} into {@link SearchCriteria}, or refuses it with every problem.
 * Each limit is a constant here and documented in the schema.
 */
final class SearchValidation {

    static final int MAX_TEXT = 200;
    static final int MAX_CITY = 100;
    static final double MAX_RADIUS_KM = 500;
    static final int MAX_NIGHTS = 366;
    static final int MAX_MONTHS = 12;
    static final int MAX_FLEXIBLE_WINDOW_DAYS = 90;
    static final int MAX_DAYS_AHEAD = 731;
    static final int MAX_AMENITIES = 20;
    static final int MAX_OPERATORS = 50;
    static final int NIGHTS_PER_MONTH = 30;

    private SearchValidation() {
    }

    static SearchCriteria validate(SearchInput in, SearchInput.Sort sort, ExchangeRates rates, Clock clock) {
        var v = new Validator();
        // A check-in "today" anywhere on Earth may be yesterday in UTC.
        LocalDate today = LocalDate.now(clock).minusDays(1);

        String city = in.city() == null ? null : v.text(in.city(), 1, MAX_CITY, "filter", "city");
        String text = in.text() == null ? null : v.text(in.text(), 1, MAX_TEXT, "filter", "text");

        SearchCriteria.GeoCircle near = null;
        if (in.near() != null) {
            Double lat = v.range(in.near().lat(), -90.0, 90.0, "filter", "near", "lat");
            Double lon = v.range(in.near().lon(), -180.0, 180.0, "filter", "near", "lon");
            Double radius = in.near().radiusKm();
            if (radius == null || radius.isNaN() || radius <= 0 || radius > MAX_RADIUS_KM) {
                v.add(UserErrorCode.OUT_OF_RANGE, "radiusKm must be greater than 0 and at most " + (int) MAX_RADIUS_KM,
                        "filter", "near", "radiusKm");
            } else if (lat != null && lon != null) {
                near = new SearchCriteria.GeoCircle(lat, lon, radius);
            }
        }

        SearchCriteria.GeoBox bounds = null;
        if (in.bounds() != null) {
            Double north = v.range(in.bounds().north(), -90.0, 90.0, "filter", "bounds", "north");
            Double south = v.range(in.bounds().south(), -90.0, 90.0, "filter", "bounds", "south");
            Double east = v.range(in.bounds().east(), -180.0, 180.0, "filter", "bounds", "east");
            Double west = v.range(in.bounds().west(), -180.0, 180.0, "filter", "bounds", "west");
            if (north != null && south != null && north < south) {
                v.add(UserErrorCode.OUT_OF_RANGE, "north must not be south of south", "filter", "bounds", "north");
            } else if (north != null && south != null && east != null && west != null) {
                bounds = new SearchCriteria.GeoBox(north, south, east, west);
            }
        }

        String displayCurrency = in.currency() != null ? in.currency() : in.price() != null ? in.price().currency() : "USD";
        if (in.currency() != null && !rates.supports(in.currency())) {
            v.add(UserErrorCode.INVALID_CURRENCY, "'" + in.currency() + "' is not a supported currency", "filter", "currency");
        }
        Long minUsd = null;
        Long maxUsd = null;
        SearchInput.Period period = SearchInput.Period.NIGHT;
        if (in.price() != null) {
            var price = in.price();
            period = price.period() == null ? SearchInput.Period.NIGHT : price.period();
            Long min = v.money(price.min(), "filter", "price", "min");
            Long max = v.money(price.max(), "filter", "price", "max");
            if (min != null && max != null && min > max) {
                v.add(UserErrorCode.OUT_OF_RANGE, "price min (" + min + ") is above max (" + max + ")", "filter", "price", "min");
            } else if (!rates.supports(price.currency())) {
                v.add(UserErrorCode.INVALID_CURRENCY, "'" + price.currency() + "' is not a supported currency", "filter", "price", "currency");
            } else {
                minUsd = min == null ? null : rates.toUsdCents(min, price.currency());
                maxUsd = max == null ? null : rates.toUsdCents(max, price.currency());
            }
        }

        Double minDownload = v.range(in.minDownloadMbps(), 0.0, 10_000.0, "filter", "minDownloadMbps");

        LocalDate checkIn = null;
        LocalDate checkOut = null;
        if (in.dates() != null) {
            LocalDate from = in.dates().checkIn();
            LocalDate to = in.dates().checkOut();
            if (!to.isAfter(from)) {
                v.add(UserErrorCode.OUT_OF_RANGE, "checkOut must be after checkIn", "filter", "dates", "checkOut");
            } else if (from.isBefore(today)) {
                v.add(UserErrorCode.OUT_OF_RANGE, "checkIn must not be in the past", "filter", "dates", "checkIn");
            } else if (from.isAfter(today.plusDays(MAX_DAYS_AHEAD))) {
                v.add(UserErrorCode.OUT_OF_RANGE, "checkIn must be within two years", "filter", "dates", "checkIn");
            } else if (ChronoUnit.DAYS.between(from, to) > MAX_NIGHTS) {
                v.add(UserErrorCode.OUT_OF_RANGE, "stays are at most " + MAX_NIGHTS + " nights", "filter", "dates", "checkOut");
            } else {
                checkIn = from;
                checkOut = to;
            }
        }

        SearchCriteria.Flexible flexible = null;
        if (in.flexibleDates() != null) {
            var f = in.flexibleDates();
            if (in.dates() != null) {
                v.add(UserErrorCode.INVALID_FORMAT, "give dates or flexibleDates, not both", "filter", "flexibleDates");
            }
            Integer nights = null;
            Integer months = null;
            if ((f.nights() == null) == (f.months() == null)) {
                v.add(UserErrorCode.INVALID_FORMAT, "give either nights or months", "filter", "flexibleDates");
            } else if (f.nights() != null) {
                nights = v.range(f.nights(), 1, MAX_NIGHTS, "filter", "flexibleDates", "nights");
            } else {
                months = v.range(f.months(), 1, MAX_MONTHS, "filter", "flexibleDates", "months");
                nights = months == null ? null : months * NIGHTS_PER_MONTH;
            }
            if (f.latestCheckIn().isBefore(f.earliestCheckIn())) {
                v.add(UserErrorCode.OUT_OF_RANGE, "latestCheckIn must not be before earliestCheckIn", "filter", "flexibleDates", "latestCheckIn");
            } else if (ChronoUnit.DAYS.between(f.earliestCheckIn(), f.latestCheckIn()) > MAX_FLEXIBLE_WINDOW_DAYS) {
                v.add(UserErrorCode.OUT_OF_RANGE, "the check-in window is at most " + MAX_FLEXIBLE_WINDOW_DAYS + " days",
                        "filter", "flexibleDates", "latestCheckIn");
            } else if (f.latestCheckIn().isBefore(today)) {
                v.add(UserErrorCode.OUT_OF_RANGE, "the check-in window is in the past", "filter", "flexibleDates", "latestCheckIn");
            } else if (f.earliestCheckIn().isAfter(today.plusDays(MAX_DAYS_AHEAD))) {
                v.add(UserErrorCode.OUT_OF_RANGE, "earliestCheckIn must be within two years", "filter", "flexibleDates", "earliestCheckIn");
            } else if (nights != null) {
                LocalDate earliest = f.earliestCheckIn().isBefore(today) ? today : f.earliestCheckIn();
                flexible = new SearchCriteria.Flexible(earliest, f.latestCheckIn(), nights, months);
            }
        }

        Integer guests = v.range(in.guests(), 1, 100, "filter", "guests");
        Double minSize = v.range(in.minSizeM2(), 0.0, 100_000.0, "filter", "minSizeM2");
        List<String> amenities = null;
        if (in.amenities() != null) {
            if (in.amenities().size() > MAX_AMENITIES) {
                v.add(UserErrorCode.TOO_LONG, "at most " + MAX_AMENITIES + " amenities", "filter", "amenities");
            } else {
                amenities = v.amenities(in.amenities(), "filter", "amenities");
            }
        }
        List<String> operatorIds = null;
        if (in.operatorIds() != null) {
            if (in.operatorIds().size() > MAX_OPERATORS) {
                v.add(UserErrorCode.TOO_LONG, "at most " + MAX_OPERATORS + " operators", "filter", "operatorIds");
            } else {
                operatorIds = new ArrayList<>();
                for (int i = 0; i < in.operatorIds().size(); i++) {
                    UUID id = v.id(in.operatorIds().get(i), GlobalId.Type.OPERATOR, "filter", "operatorIds", String.valueOf(i));
                    if (id != null) {
                        operatorIds.add(id.toString());
                    }
                }
            }
        }
        if (sort == SearchInput.Sort.DISTANCE && near == null && bounds == null && in.near() == null && in.bounds() == null) {
            v.add(UserErrorCode.INVALID_FORMAT, "DISTANCE sorting needs near or bounds", "sort");
        }
        if (v.hasErrors()) {
            throw ApiException.invalid(v.errors());
        }
        return new SearchCriteria(city == null ? null : city, near, bounds, minUsd, maxUsd, period, minDownload,
                Boolean.TRUE.equals(in.verifiedInternetOnly()), checkIn, checkOut, flexible, guests,
                in.unitTypes() == null || in.unitTypes().isEmpty() ? null : EnumSet.copyOf(in.unitTypes()),
                amenities == null || amenities.isEmpty() ? null : amenities, in.furnished(), minSize, text,
                operatorIds == null || operatorIds.isEmpty() ? null : operatorIds,
                displayCurrency.toUpperCase(Locale.ROOT), sort);
    }
}
