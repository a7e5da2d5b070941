package io.nomadstays.search;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Reads a hit's {@code _source} into a {@link StayDocument} with Jackson's streaming parser, one
 * switch per object. Jackson's databind builds records through method handles and looks every
 * property up in a map; reading a page of 21 hits this way takes about a quarter less CPU
 * (docs/benchmarks.md, "Profiling": most of what is left is tokenising the answer). Unknown fields
 * are skipped at every level, so the indexer can add fields before the API reads them.
 * {@code StayDocumentReaderTests} checks that it agrees with Jackson's binding of the records'
 * annotations on real documents.
 */
final class StayDocumentReader {

    private StayDocumentReader() {
    }

    /**
     * @param p            positioned on the {@code START_OBJECT} of the {@code _source}; left on its
     *                     {@code END_OBJECT}
     * @param groupWindows whether to read {@code group_windows} (only a flexible search for a group
     *                     does; a busy dorm has thousands)
     */
    static StayDocument read(JsonParser p, boolean groupWindows) throws IOException {
        StayDocument.Display display = null;
        List<StayDocument.FreeWindow> freeWindows = null;
        List<StayDocument.GroupWindow> groups = null;
        Number nightly = null;
        Number monthly = null;
        String currency = null;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "display" -> display = t == JsonToken.VALUE_NULL ? null : display(p, t);
                case "free_windows" -> freeWindows = list(p, t, StayDocumentReader::freeWindow);
                case "group_windows" -> {
                    if (groupWindows) {
                        groups = list(p, t, StayDocumentReader::groupWindow);
                    } else {
                        p.skipChildren();
                    }
                }
                case "nightly_price" -> nightly = number(p, t);
                case "monthly_price" -> monthly = number(p, t);
                case "currency" -> currency = string(p, t);
                default -> p.skipChildren();
            }
        }
        return new StayDocument(display, freeWindows, groups, nightly, monthly, currency);
    }

    private static StayDocument.Display display(JsonParser p, JsonToken t) throws IOException {
        expectObject(p, t);
        StayDocument.UnitDoc unit = null;
        StayDocument.PropertyDoc property = null;
        StayDocument.OperatorDoc operator = null;
        StayDocument.PricingDoc pricing = null;
        StayDocument.InternetDoc internet = null;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken v = p.nextToken();
            if (v == JsonToken.VALUE_NULL) {
                continue;
            }
            switch (name) {
                case "unit" -> unit = unit(p, v);
                case "property" -> property = property(p, v);
                case "operator" -> operator = operator(p, v);
                case "pricing" -> pricing = pricing(p, v);
                case "internet" -> internet = internet(p, v);
                default -> p.skipChildren();
            }
        }
        return new StayDocument.Display(unit, property, operator, pricing, internet);
    }

    private static StayDocument.UnitDoc unit(JsonParser p, JsonToken t) throws IOException {
        expectObject(p, t);
        String id = null, operatorId = null, propertyId = null, unitName = null, description = null, type = null;
        Number capacity = null, maxGuests = null, sizeM2 = null, minStay = null, maxStay = null, version = null;
        Boolean furnished = null;
        String granularity = null, status = null, publishedAt = null, createdAt = null, updatedAt = null;
        List<String> amenities = null;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken v = p.nextToken();
            switch (name) {
                case "id" -> id = string(p, v);
                case "operatorId" -> operatorId = string(p, v);
                case "propertyId" -> propertyId = string(p, v);
                case "name" -> unitName = string(p, v);
                case "description" -> description = string(p, v);
                case "type" -> type = string(p, v);
                case "capacity" -> capacity = number(p, v);
                case "maxGuests" -> maxGuests = number(p, v);
                case "sizeM2" -> sizeM2 = number(p, v);
                case "furnished" -> furnished = bool(p, v);
                case "granularity" -> granularity = string(p, v);
                case "minStay" -> minStay = number(p, v);
                case "maxStay" -> maxStay = number(p, v);
                case "amenities" -> amenities = list(p, v, StayDocumentReader::string);
                case "status" -> status = string(p, v);
                case "publishedAt" -> publishedAt = string(p, v);
                case "createdAt" -> createdAt = string(p, v);
                case "updatedAt" -> updatedAt = string(p, v);
                case "version" -> version = number(p, v);
                default -> p.skipChildren();
            }
        }
        return new StayDocument.UnitDoc(id, operatorId, propertyId, unitName, description, type, capacity, maxGuests,
                sizeM2, furnished, granularity, minStay, maxStay, amenities, status, publishedAt, createdAt, updatedAt,
                version);
    }

    private static StayDocument.PropertyDoc property(JsonParser p, JsonToken t) throws IOException {
        expectObject(p, t);
        String id = null, operatorId = null, propertyName = null, description = null, addressLine = null, city = null;
        String cityLocal = null, postalCode = null, countryCode = null, timeZone = null, houseRules = null;
        String createdAt = null, updatedAt = null;
        Number lat = null, lon = null;
        List<String> amenities = null;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken v = p.nextToken();
            switch (name) {
                case "id" -> id = string(p, v);
                case "operatorId" -> operatorId = string(p, v);
                case "name" -> propertyName = string(p, v);
                case "description" -> description = string(p, v);
                case "addressLine" -> addressLine = string(p, v);
                case "city" -> city = string(p, v);
                case "cityLocal" -> cityLocal = string(p, v);
                case "postalCode" -> postalCode = string(p, v);
                case "countryCode" -> countryCode = string(p, v);
                case "lat" -> lat = number(p, v);
                case "lon" -> lon = number(p, v);
                case "timeZone" -> timeZone = string(p, v);
                case "amenities" -> amenities = list(p, v, StayDocumentReader::string);
                case "houseRules" -> houseRules = string(p, v);
                case "createdAt" -> createdAt = string(p, v);
                case "updatedAt" -> updatedAt = string(p, v);
                default -> p.skipChildren();
            }
        }
        return new StayDocument.PropertyDoc(id, operatorId, propertyName, description, addressLine, city, cityLocal,
                postalCode, countryCode, lat, lon, timeZone, amenities, houseRules, createdAt, updatedAt);
    }

    private static StayDocument.OperatorDoc operator(JsonParser p, JsonToken t) throws IOException {
        expectObject(p, t);
        String id = null, slug = null, operatorName = null, defaultCurrency = null, createdAt = null;
        Number commissionBps = null;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken v = p.nextToken();
            switch (name) {
                case "id" -> id = string(p, v);
                case "slug" -> slug = string(p, v);
                case "name" -> operatorName = string(p, v);
                case "defaultCurrency" -> defaultCurrency = string(p, v);
                case "commissionBps" -> commissionBps = number(p, v);
                case "createdAt" -> createdAt = string(p, v);
                default -> p.skipChildren();
            }
        }
        return new StayDocument.OperatorDoc(id, slug, operatorName, defaultCurrency, commissionBps, createdAt);
    }

    private static StayDocument.PricingDoc pricing(JsonParser p, JsonToken t) throws IOException {
        expectObject(p, t);
        String currency = null, updatedAt = null;
        Number hourly = null, nightly = null, daily = null, weekly = null, monthly = null, cleaning = null, deposit = null;
        List<StayDocument.Discount> discounts = null;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken v = p.nextToken();
            switch (name) {
                case "currency" -> currency = string(p, v);
                case "hourly" -> hourly = number(p, v);
                case "nightly" -> nightly = number(p, v);
                case "daily" -> daily = number(p, v);
                case "weekly" -> weekly = number(p, v);
                case "monthly" -> monthly = number(p, v);
                case "cleaning" -> cleaning = number(p, v);
                case "deposit" -> deposit = number(p, v);
                case "longStayDiscounts" -> discounts = list(p, v, StayDocumentReader::discount);
                case "updatedAt" -> updatedAt = string(p, v);
                default -> p.skipChildren();
            }
        }
        return new StayDocument.PricingDoc(currency, hourly, nightly, daily, weekly, monthly, cleaning, deposit, discounts,
                updatedAt);
    }

    private static StayDocument.Discount discount(JsonParser p, JsonToken t) throws IOException {
        expectObject(p, t);
        Number minNights = null;
        Number percentBps = null;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken v = p.nextToken();
            switch (name) {
                case "minNights" -> minNights = number(p, v);
                case "percentBps" -> percentBps = number(p, v);
                default -> p.skipChildren();
            }
        }
        return new StayDocument.Discount(minNights, percentBps);
    }

    private static StayDocument.InternetDoc internet(JsonParser p, JsonToken t) throws IOException {
        expectObject(p, t);
        Number download = null, upload = null, latency = null, testCount = null;
        Boolean verified = null;
        String lastMeasuredAt = null;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken v = p.nextToken();
            switch (name) {
                case "medianDownloadMbps" -> download = number(p, v);
                case "medianUploadMbps" -> upload = number(p, v);
                case "medianLatencyMs" -> latency = number(p, v);
                case "testCount" -> testCount = number(p, v);
                case "verified" -> verified = bool(p, v);
                case "lastMeasuredAt" -> lastMeasuredAt = string(p, v);
                default -> p.skipChildren();
            }
        }
        return new StayDocument.InternetDoc(download, upload, latency, testCount, verified, lastMeasuredAt);
    }

    private static StayDocument.FreeWindow freeWindow(JsonParser p, JsonToken t) throws IOException {
        expectObject(p, t);
        String start = null;
        String end = null;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken v = p.nextToken();
            switch (name) {
                case "start" -> start = string(p, v);
                case "end" -> end = string(p, v);
                default -> p.skipChildren();
            }
        }
        return new StayDocument.FreeWindow(start, end);
    }

    private static StayDocument.GroupWindow groupWindow(JsonParser p, JsonToken t) throws IOException {
        expectObject(p, t);
        int minGuests = 0;
        int maxGuests = 0;
        String start = null;
        String end = null;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken v = p.nextToken();
            switch (name) {
                case "min_guests" -> minGuests = integer(p, v);
                case "max_guests" -> maxGuests = integer(p, v);
                case "start" -> start = string(p, v);
                case "end" -> end = string(p, v);
                default -> p.skipChildren();
            }
        }
        return new StayDocument.GroupWindow(minGuests, maxGuests, start, end);
    }

    /** Reads one value, the parser on its first token ({@code t}). */
    @FunctionalInterface
    private interface ValueReader<T> {
        T read(JsonParser p, JsonToken t) throws IOException;
    }

    /** An array of values read by {@code element}; null for a JSON null. */
    private static <T> List<T> list(JsonParser p, JsonToken t, ValueReader<T> element) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        expectArray(p, t);
        List<T> values = new ArrayList<>();
        JsonToken next;
        while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
            values.add(element.read(p, next));
        }
        return values;
    }

    private static String string(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> p.getString();
            case VALUE_NULL -> null;
            default -> throw unexpected(p, t, "a string");
        };
    }

    /** Integral numbers as the smallest of Integer, Long and BigInteger, decimals as Double (like Jackson binds a Number). */
    private static Number number(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getNumberValue();
            case VALUE_NULL -> null;
            default -> throw unexpected(p, t, "a number");
        };
    }

    private static int integer(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT) {
            throw unexpected(p, t, "an integer");
        }
        return p.getIntValue();
    }

    private static Boolean bool(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw unexpected(p, t, "true or false");
        };
    }

    private static void expectObject(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            throw unexpected(p, t, "an object");
        }
    }

    private static void expectArray(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            throw unexpected(p, t, "an array");
        }
    }

    private static IOException unexpected(JsonParser p, JsonToken t, String expected) {
        return new IOException("Unexpected " + t + " in a stay document at " + p.streamReadContext().pathAsPointer()
                + " where " + expected + " was expected");
    }
}
