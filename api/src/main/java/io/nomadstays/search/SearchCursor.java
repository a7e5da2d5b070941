package io.nomadstays.search;

import co.elastic.clients.elasticsearch._types.FieldValue;
import io.nomadstays.graphql.ApiException;
import io.nomadstays.graphql.UserErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Opaque search cursors: the sort values of the last hit (for search_after) and the sort they
 * belong to, so a cursor from another sort is refused instead of silently skipping results.
 */
final class SearchCursor {

    private static final char SEPARATOR = '\u001f';

    private SearchCursor() {
    }

    static String encode(SearchInput.Sort sort, List<FieldValue> values) {
        StringBuilder sb = new StringBuilder("v1").append(SEPARATOR).append(sort.name());
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

    static List<FieldValue> decode(String cursor, SearchInput.Sort sort) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = raw.split(String.valueOf(SEPARATOR), -1);
            if (parts.length < 3 || !parts[0].equals("v1")) {
                throw new IllegalArgumentException();
            }
            if (!parts[1].equals(sort.name())) {
                throw new ApiException(UserErrorCode.INVALID_FORMAT, "'after' is a cursor of a " + parts[1] + " search, not " + sort);
            }
            List<FieldValue> values = new ArrayList<>();
            for (int i = 2; i < parts.length; i++) {
                String v = parts[i].substring(1);
                values.add(switch (parts[i].charAt(0)) {
                    case 'n' -> FieldValue.NULL;
                    case 'l' -> FieldValue.of(Long.parseLong(v));
                    case 'd' -> FieldValue.of(Double.parseDouble(v));
                    case 'b' -> FieldValue.of(Boolean.parseBoolean(v));
                    case 's' -> FieldValue.of(v);
                    default -> throw new IllegalArgumentException();
                });
            }
            return values;
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new ApiException(UserErrorCode.INVALID_FORMAT, "'after' is not a cursor of this search");
        }
    }
}
