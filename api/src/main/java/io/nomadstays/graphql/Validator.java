package io.nomadstays.graphql;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Collects every problem of one mutation input as {@link UserError}s, so the caller sees them
 * all at once. Each check returns the cleaned value (or null when invalid) so the mutation can
 * build its command in the same pass.
 */
public final class Validator {

    public static final int MAX_AMENITIES = 50;
    public static final int MAX_AMENITY_LENGTH = 64;
    private static final Pattern AMENITY = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private final List<UserError> errors = new ArrayList<>();

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    public List<UserError> errors() {
        return List.copyOf(errors);
    }

    public void add(UserErrorCode code, String message, String... path) {
        errors.add(UserError.of(code, message, path));
    }

    /** A required string of min..max characters (after trimming). */
    public String text(String value, int min, int max, String... path) {
        if (value == null || value.isBlank()) {
            if (min > 0) {
                add(UserErrorCode.REQUIRED, last(path) + " is required", path);
                return null;
            }
            return value == null ? null : "";
        }
        String trimmed = value.strip();
        int length = trimmed.codePointCount(0, trimmed.length());
        if (length > max) {
            add(UserErrorCode.TOO_LONG, last(path) + " must be at most " + max + " characters, got " + length, path);
            return null;
        }
        if (length < min) {
            add(UserErrorCode.OUT_OF_RANGE, last(path) + " must be at least " + min + " characters", path);
            return null;
        }
        return trimmed;
    }

    /** An optional string: null stays null, blank becomes empty. */
    public String optionalText(String value, int max, String... path) {
        return value == null ? null : text(value, 0, max, path);
    }

    public Integer range(Integer value, int min, int max, String... path) {
        if (value == null) {
            return null;
        }
        if (value < min || value > max) {
            add(UserErrorCode.OUT_OF_RANGE, last(path) + " must be between " + min + " and " + max + ", got " + value, path);
            return null;
        }
        return value;
    }

    public Double range(Double value, double min, double max, String... path) {
        if (value == null) {
            return null;
        }
        if (value.isNaN() || value < min || value > max) {
            add(UserErrorCode.OUT_OF_RANGE, last(path) + " must be between " + min + " and " + max + ", got " + value, path);
            return null;
        }
        return value;
    }

    /** Minor units of money: 0 up to 10^13 (far above any rent, far below overflow). */
    public Long money(Long value, String... path) {
        if (value == null) {
            return null;
        }
        if (value < 0 || value > 10_000_000_000_000L) {
            add(UserErrorCode.OUT_OF_RANGE, last(path) + " must be between 0 and 10^13 minor units, got " + value, path);
            return null;
        }
        return value;
    }

    public <T> T required(T value, String... path) {
        if (value == null) {
            add(UserErrorCode.REQUIRED, last(path) + " is required", path);
        }
        return value;
    }

    /** A global ID of one of the accepted types; the row's UUID or null. */
    public UUID id(String raw, Set<GlobalId.Type> accepted, String... path) {
        if (raw == null) {
            add(UserErrorCode.REQUIRED, last(path) + " is required", path);
            return null;
        }
        var parsed = GlobalId.parse(raw);
        if (parsed.isEmpty()) {
            add(UserErrorCode.MALFORMED_ID, last(path) + " is not a valid ID", path);
            return null;
        }
        if (!accepted.contains(parsed.get().type())) {
            add(UserErrorCode.WRONG_ID_TYPE, last(path) + " must be the ID of a " + accepted.iterator().next().typeName()
                    + ", got the ID of a " + parsed.get().type().typeName(), path);
            return null;
        }
        return parsed.get().uuid();
    }

    public UUID id(String raw, GlobalId.Type accepted, String... path) {
        return id(raw, Set.of(accepted), path);
    }

    public String timeZone(String value, String... path) {
        if (value == null) {
            return null;
        }
        try {
            // Only region ids (Asia/Makassar); offsets like +08:00 would break on DST changes.
            if (!ZoneId.getAvailableZoneIds().contains(value)) {
                throw new DateTimeException(value);
            }
            return ZoneId.of(value).getId();
        } catch (DateTimeException e) {
            add(UserErrorCode.INVALID_TIME_ZONE, "'" + abbreviate(value) + "' is not an IANA time zone such as Asia/Makassar", path);
            return null;
        }
    }

    public String country(String value, String... path) {
        if (value == null) {
            return null;
        }
        String upper = value.strip().toUpperCase(Locale.ROOT);
        if (!COUNTRIES.contains(upper)) {
            add(UserErrorCode.INVALID_COUNTRY, "'" + abbreviate(value) + "' is not an ISO 3166-1 alpha-2 country code", path);
            return null;
        }
        return upper;
    }

    /** Amenity keys: trimmed, lower-cased, de-duplicated, at most 50 of at most 64 characters. */
    public List<String> amenities(List<String> values, String... path) {
        if (values == null) {
            return null;
        }
        if (values.size() > MAX_AMENITIES) {
            add(UserErrorCode.TOO_LONG, "at most " + MAX_AMENITIES + " amenities, got " + values.size(), path);
            return null;
        }
        var cleaned = new LinkedHashSet<String>();
        for (int i = 0; i < values.size(); i++) {
            String key = values.get(i) == null ? "" : values.get(i).strip().toLowerCase(Locale.ROOT).replace(' ', '_');
            String[] itemPath = append(path, String.valueOf(i));
            if (key.length() > MAX_AMENITY_LENGTH) {
                add(UserErrorCode.TOO_LONG, "an amenity key must be at most " + MAX_AMENITY_LENGTH + " characters", itemPath);
            } else if (!AMENITY.matcher(key).matches()) {
                add(UserErrorCode.INVALID_FORMAT, "amenity keys are lower-case letters, digits, '_' and '-', e.g. coworking", itemPath);
            } else {
                cleaned.add(key);
            }
        }
        return List.copyOf(cleaned);
    }

    public static String[] append(String[] path, String... more) {
        String[] result = new String[path.length + more.length];
        System.arraycopy(path, 0, result, 0, path.length);
        System.arraycopy(more, 0, result, path.length, more.length);
        return result;
    }

    private static String last(String... path) {
        return path.length == 0 ? "value" : path[path.length - 1];
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
