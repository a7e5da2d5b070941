package io.nomadstays.graphql;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.analysis.FieldComplexityCalculator;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.instrumentation.Instrumentation;
import graphql.scalars.ExtendedScalars;
import graphql.schema.DataFetchingEnvironment;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.DataFetcherExceptionResolver;
import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;

/** Scalars, query limits and error mapping shared by every feature's schema. */
@Configuration(proxyBeanMethods = false)
class GraphQlConfig {

    @Bean
    RuntimeWiringConfigurer scalars() {
        return wiring -> wiring
                .scalar(ExtendedScalars.Date)
                .scalar(ExtendedScalars.GraphQLLong)
                .scalar(Scalars.DATE_TIME)
                .scalar(Scalars.CURRENCY_CODE);
    }

    @Bean
    Instrumentation maxDepth(GraphQlLimits limits) {
        return new MaxQueryDepthInstrumentation(limits.maxDepth());
    }

    @Bean
    Instrumentation maxComplexity(GraphQlLimits limits) {
        FieldComplexityCalculator perField = (env, childComplexity) -> {
            Object first = env.getArguments().get("first");
            int multiplier = first instanceof Integer n ? Math.max(1, n)
                    : env.getFieldDefinition().getArgument("first") != null ? PageRequest.DEFAULT_PAGE_SIZE : 1;
            return multiplier * (1 + childComplexity);
        };
        return new MaxQueryComplexityInstrumentation(limits.maxComplexity(), perField);
    }

    /** Our refusals keep their code; anything else is INTERNAL with no detail. */
    @Bean
    DataFetcherExceptionResolver apiExceptions() {
        return new DataFetcherExceptionResolverAdapter() {
            @Override
            protected GraphQLError resolveToSingleError(Throwable ex, DataFetchingEnvironment env) {
                if (ex instanceof ApiException api) {
                    return GraphqlErrorBuilder.newError(env)
                            .message(api.getMessage())
                            .errorType(api.code().equals("NOT_FOUND") ? ErrorType.NOT_FOUND : ErrorType.BAD_REQUEST)
                            .extensions(Map.of("code", api.code()))
                            .build();
                }
                return null;
            }
        };
    }
}
