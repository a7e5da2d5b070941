package io.nomadstays.graphql;

import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Parsed and validated documents by query text. Apps send the same few operations over and over;
 * parsing and validating them again cost 15-25% of a small query's throughput here. Only valid
 * documents are kept (so garbage cannot fill the cache), at most {@link #MAX_ENTRIES} of at most
 * {@link #MAX_QUERY_LENGTH} characters, least recently used out first. Depth and complexity limits
 * still apply to every execution ({@link RememberedLimit} checks an operation once when its
 * variables cannot change the result).
 */
final class DocumentCache implements PreparsedDocumentProvider {

    static final int MAX_ENTRIES = 1_000;
    static final int MAX_QUERY_LENGTH = 20_000;

    private final Map<String, PreparsedDocumentEntry> entries = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparsedDocumentEntry> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    @Override
    public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
                                                                      Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
        String query = input.getQuery();
        if (query.length() > MAX_QUERY_LENGTH) {
            return CompletableFuture.completedFuture(parseAndValidate.apply(input));
        }
        String key = input.getOperationName() == null ? query : input.getOperationName() + '\u0000' + query;
        PreparsedDocumentEntry cached;
        synchronized (entries) {
            cached = entries.get(key);
        }
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        PreparsedDocumentEntry entry = parseAndValidate.apply(input);
        if (!entry.hasErrors()) {
            synchronized (entries) {
                entries.put(key, entry);
            }
        }
        return CompletableFuture.completedFuture(entry);
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
