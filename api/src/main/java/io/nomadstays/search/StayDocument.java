package io.nomadstays.search;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The part of a stay document a search reads, read by {@link StayDocumentReader} straight from the
 * response (docs/search-document.md): no intermediate map per hit, and the fields search alone
 * uses (text, unavailable dates, ...) skipped. The windows of groups are read only by a flexible
 * search for a group (null otherwise). Values keep the JSON's own form (UUIDs, instants, dates and
 * enums as strings); {@link StayDisplay#from} turns them into the API's records.
 *
 * <p>The Jackson annotations state the same mapping declaratively. The API does not bind with them
 * (that took about a third more CPU than the reader); the tests do, as the reference the reader must
 * agree with.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record StayDocument(Display display,
                    @JsonProperty("free_windows") List<FreeWindow> freeWindows,
                    @JsonProperty("group_windows") List<GroupWindow> groupWindows,
                    @JsonProperty("nightly_price") Number nightlyPrice,
                    @JsonProperty("monthly_price") Number monthlyPrice,
                    String currency) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record FreeWindow(String start, String end) {
    }

    /** A free window of a unit sold per person for groups of {@code minGuests} to {@code maxGuests}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record GroupWindow(@JsonProperty("min_guests") int minGuests, @JsonProperty("max_guests") int maxGuests,
                       String start, String end) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Display(UnitDoc unit, PropertyDoc property, OperatorDoc operator, PricingDoc pricing, InternetDoc internet) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record UnitDoc(String id, String operatorId, String propertyId, String name, String description, String type,
                   Number capacity, Number maxGuests, Number sizeM2, Boolean furnished, String granularity, Number minStay,
                   Number maxStay, List<String> amenities, String status, String publishedAt, String createdAt,
                   String updatedAt, Number version) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record PropertyDoc(String id, String operatorId, String name, String description, String addressLine, String city,
                       String cityLocal, String postalCode, String countryCode, Number lat, Number lon, String timeZone,
                       List<String> amenities, String houseRules, String createdAt, String updatedAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record OperatorDoc(String id, String slug, String name, String defaultCurrency, Number commissionBps, String createdAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record PricingDoc(String currency, Number hourly, Number nightly, Number daily, Number weekly, Number monthly,
                      Number cleaning, Number deposit, List<Discount> longStayDiscounts, String updatedAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Discount(Number minNights, Number percentBps) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record InternetDoc(Number medianDownloadMbps, Number medianUploadMbps, Number medianLatencyMs, Number testCount,
                       Boolean verified, String lastMeasuredAt) {
    }
}
