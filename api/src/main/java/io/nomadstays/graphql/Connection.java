package io.nomadstays.graphql;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.nio.charset.StandardCharsets;

/** A Relay connection page: edges with cursors, page info and the total count of the filter. */
public record Connection<T>(List<Edge<T>> edges, PageInfo pageInfo, int totalCount) {

    public record Edge<T>(String cursor, T node) {
    }

    public record PageInfo(boolean hasNextPage, boolean hasPreviousPage, String startCursor, String endCursor) {
    }

    /**
     * Builds a page from rows fetched with {@code limit = first + 1}: the extra row only tells
     * whether there is a next page.
     */
    public static <T> Connection<T> of(List<T> rows, PageRequest page, Function<T, UUID> key, int totalCount) {
        boolean hasNext = rows.size() > page.first();
        List<T> visible = hasNext ? rows.subList(0, page.first()) : rows;
        List<Edge<T>> edges = new ArrayList<>(visible.size());
        for (T row : visible) {
            edges.add(new Edge<>(encodeCursor(key.apply(row)), row));
        }
        String start = edges.isEmpty() ? null : edges.get(0).cursor();
        String end = edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor();
        return new Connection<>(edges, new PageInfo(hasNext, page.after() != null, start, end), totalCount);
    }

    static String encodeCursor(UUID id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("k:" + id).getBytes(StandardCharsets.UTF_8));
    }

    static UUID decodeCursor(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!raw.startsWith("k:")) {
                throw new IllegalArgumentException();
            }
            return UUID.fromString(raw.substring(2));
        } catch (IllegalArgumentException e) {
            throw new ApiException(UserErrorCode.INVALID_FORMAT, "'after' is not a cursor of this connection");
        }
    }
}
