package io.nomadstays.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.ExecutionInput;
import graphql.GraphqlErrorBuilder;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.language.Document;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class DocumentCacheTests {

    private final DocumentCache cache = new DocumentCache();
    private final AtomicInteger parses = new AtomicInteger();
    private final Function<ExecutionInput, PreparsedDocumentEntry> valid = in -> {
        parses.incrementAndGet();
        return new PreparsedDocumentEntry(Document.newDocument().build());
    };

    @Test
    void parsesAValidDocumentOnce() {
        cache.getDocumentAsync(ExecutionInput.newExecutionInput("{ me { id } }").build(), valid).join();
        cache.getDocumentAsync(ExecutionInput.newExecutionInput("{ me { id } }").build(), valid).join();
        cache.getDocumentAsync(ExecutionInput.newExecutionInput("{ me { id } }").operationName("Me").build(), valid).join();
        assertThat(parses).hasValue(2);
    }

    @Test
    void neverKeepsInvalidOrHugeDocuments() {
        Function<ExecutionInput, PreparsedDocumentEntry> invalid = in -> {
            parses.incrementAndGet();
            return new PreparsedDocumentEntry(GraphqlErrorBuilder.newError().message("bad").build());
        };
        cache.getDocumentAsync(ExecutionInput.newExecutionInput("{ nope }").build(), invalid).join();
        cache.getDocumentAsync(ExecutionInput.newExecutionInput("{ nope }").build(), invalid).join();
        String huge = "{ me { id } }" + " ".repeat(DocumentCache.MAX_QUERY_LENGTH);
        cache.getDocumentAsync(ExecutionInput.newExecutionInput(huge).build(), valid).join();
        cache.getDocumentAsync(ExecutionInput.newExecutionInput(huge).build(), valid).join();
        assertThat(parses).hasValue(4);
        assertThat(cache.size()).isZero();
    }

    @Test
    void staysBounded() {
        for (int i = 0; i < DocumentCache.MAX_ENTRIES + 50; i++) {
            cache.getDocumentAsync(ExecutionInput.newExecutionInput("{ q" + i + " }").build(), valid).join();
        }
        assertThat(cache.size()).isEqualTo(DocumentCache.MAX_ENTRIES);
    }
}
