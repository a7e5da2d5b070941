package io.nomadstays.search;

import co.elastic.clients.elasticsearch._types.FieldValue;
import io.nomadstays.graphql.ApiException;
import io.nomadstays.graphql.UserErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Opaque search cursors: the sort values of the last hit (for search_after) and the order they
 * belong to ({@link StayQuery.Order}: the sort, the price field it sorts on, the distance origin,
 * whether a text sets the score).
 *
 * <p>A cursor is refused, with INVALID_FORMAT, unless it comes from a search in the same order and
 * holds as many values of the expected kinds as that order has sort keys: one from another order
 * would silently skip results, and one Elasticsearch cannot use would otherwise come back as an
 * error the client is told to retry.
 */
final class SearchCursor {

    private static final String VERSION = "v2";
    private static final char SEPARATOR = '\u001f';

    private SearchCursor() {
    }

    static String encode(StayQuery.Order order, List<FieldValue> values) {
        StringBuilder sb = new StringBuilder(VERSION).append(SEPARATOR).append(order.key());
        for (FieldValue value : values) {
            sb.append(SEPARATOR);
            if (value.isNull()) {
                sb.append('n');
            } else if (value.isLong()) {
                sb.append('l').append(value.longValue());
            } else if (value.isDouble()) {
                sb.append('d').append(value.doubleValue());
            } else if (value.isBoolean()) {
                sb.append('b').append(value.booleanValue());
            } else {
                sb.append('s').append(value.stringValue());
            }
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    static List<FieldValue> decode(String cursor, StayQuery.Order order) {
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(String.valueOf(SEPARATOR), -1);
        } catch (IllegalArgumentException e) {
            throw notACursor();
        }
        if (parts.length < 3 || !parts[0].equals(VERSION)) {
            throw notACursor();
        }
        if (!parts[1].equals(order.key())) {
            throw new ApiException(UserErrorCode.INVALID_FORMAT, "'after' is a cursor of a search in another order (sort, price period, "
                    + "distance origin or text differ); start again from the first page");
        }
        if (parts.length - 2 != order.keys()) {
            throw notACursor();
        }
        List<FieldValue> values = new ArrayList<>(order.keys());
        for (int i = 2; i < parts.length; i++) {
            values.add(value(parts[i], i == parts.length - 1));
        }
        return values;
    }

    /**
     * The last key is the unit id (a string, or null where a document lacked it); the ones before
     * are numbers, or the infinity Elasticsearch gives a float field a document lacks.
     */
    private static FieldValue value(String part, boolean unitId) {
        if (part.isEmpty()) {
            throw notACursor();
        }
        char kind = part.charAt(0);
        String v = part.substring(1);
        try {
            if (unitId) {
                return switch (kind) {
                    case 's' -> FieldValue.of(v);
                    case 'n' -> FieldValue.NULL;
                    default -> throw notACursor();
                };
            }
            return switch (kind) {
                case 'l' -> FieldValue.of(Long.parseLong(v));
                case 'd' -> FieldValue.of(Double.parseDouble(v));
                case 's' -> {
                    if (!v.equals("Infinity") && !v.equals("-Infinity")) {
                        throw notACursor();
                    }
                    yield FieldValue.of(v);
                }
                default -> throw notACursor();
            };
        } catch (NumberFormatException e) {
            throw notACursor();
        }
    }

    private static ApiException notACursor() {
        return new ApiException(UserErrorCode.INVALID_FORMAT, "'after' is not a cursor of this search");
    }
}
