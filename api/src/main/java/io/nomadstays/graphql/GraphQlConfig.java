package io.nomadstays.graphql;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.analysis.FieldComplexityCalculator;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.schema.DataFetchingEnvironment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.DataFetcherExceptionResolver;
import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.webflux.GraphQlHttpHandler;
import tools.jackson.databind.json.JsonMapper;

/** Scalars, query limits and error mapping shared by every feature's schema. */
@Configuration(proxyBeanMethods = false)
class GraphQlConfig {

    @Bean
    RuntimeWiringConfigurer scalars() {
        return wiring -> wiring
                .scalar(Scalars.DATE)
                .scalar(Scalars.LONG)
                .scalar(Scalars.DATE_TIME)
                .scalar(Scalars.CURRENCY_CODE);
    }

    /** Replaces Boot's handler (it backs off for this bean): see {@link GraphQlAnswerHandler}. */
    @Bean
    GraphQlHttpHandler graphQlHttpHandler(WebGraphQlHandler handler, JsonMapper json) {
        return new GraphQlAnswerHandler(handler, json);
    }

    @Bean
    GraphQlSourceBuilderCustomizer recordFields() {
        return builder -> builder.typeVisitors(List.of(RecordFields.visitor()));
    }

    @Bean
    GraphQlSourceBuilderCustomizer documentCache() {
        DocumentCache cache = new DocumentCache();
        return builder -> builder.configureGraphQl(graphQl -> graphQl.preparsedDocumentProvider(cache));
    }

    /**
     * Depth and complexity limits, checked once per operation when variables cannot change them
     * ({@link RememberedLimit}), in front of the other instrumentations (Spring's observations) as one
     * instrumentation ({@link LimitsFirst}). They are not {@code Instrumentation} beans: those Spring
     * chains with graphql-java's {@code ChainedInstrumentation}, which this replaces.
     */
    @Bean
    GraphQlSourceBuilderCustomizer limits(GraphQlLimits limits, ObjectProvider<Instrumentation> others) {
        FieldComplexityCalculator perField = (env, childComplexity) -> {
            Object first = env.getArguments().get("first");
            int multiplier = first instanceof Integer n ? Math.max(1, n)
                    : env.getFieldDefinition().getArgument("first") != null ? PageRequest.DEFAULT_PAGE_SIZE : 1;
            return multiplier * (1 + childComplexity);
        };
        List<Instrumentation> checks = List.of(
                new RememberedLimit(new MaxQueryDepthInstrumentation(limits.maxDepth()), Set.of()),
                new RememberedLimit(new MaxQueryComplexityInstrumentation(limits.maxComplexity(), perField), Set.of("first")));
        return builder -> builder.configureGraphQl(graphQl -> {
            List<Instrumentation> rest = others.orderedStream().toList();
            Instrumentation next = rest.isEmpty() ? SimplePerformantInstrumentation.INSTANCE
                    : rest.size() == 1 ? rest.get(0) : new ChainedInstrumentation(rest);
            graphQl.instrumentation(new LimitsFirst(checks, next));
        });
    }

    /** Our refusals keep their code (and field path); anything else is INTERNAL with no detail. */
    @Bean
    DataFetcherExceptionResolver apiExceptions() {
        return new DataFetcherExceptionResolverAdapter() {
            @Override
            protected List<GraphQLError> resolveToMultipleErrors(Throwable ex, DataFetchingEnvironment env) {
                if (!(ex instanceof ApiException api)) {
                    return null;
                }
                if (api.errors().isEmpty()) {
                    return List.of(error(env, api.code(), api.getMessage(), null));
                }
                return api.errors().stream().map(e -> error(env, e.code().name(), e.message(), e.field())).toList();
            }
        };
    }

    private static GraphQLError error(DataFetchingEnvironment env, String code, String message, List<String> field) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("code", code);
        if (field != null) {
            extensions.put("field", field);
        }
        if (code.equals("SEARCH_UNAVAILABLE")) {
            extensions.put("retryable", true);
        }
        return GraphqlErrorBuilder.newError(env)
                .message(message)
                .errorType(code.equals("NOT_FOUND") ? ErrorType.NOT_FOUND
                        : code.equals("SEARCH_UNAVAILABLE") ? ErrorType.INTERNAL_ERROR : ErrorType.BAD_REQUEST)
                .extensions(extensions)
                .build();
    }
}
