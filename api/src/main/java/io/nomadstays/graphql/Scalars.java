package io.nomadstays.graphql;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** The API's own scalars: instants always answered in UTC, currency codes upper-cased. */
final class Scalars {

    private Scalars() {
    }

    // The extended scalars' coercion with our descriptions, so introspection says what the SDL says.
    static final GraphQLScalarType DATE = GraphQLScalarType.newScalar(graphql.scalars.ExtendedScalars.Date)
            .description("An ISO 8601 calendar date (2026-03-01), local to the property's time zone.")
            .build();

    static final GraphQLScalarType LONG = GraphQLScalarType.newScalar(graphql.scalars.ExtendedScalars.GraphQLLong)
            .description("A 64-bit integer, used for amounts in minor units (IDR and VND rents exceed 2^31).")
            .build();

    static final GraphQLScalarType DATE_TIME = GraphQLScalarType.newScalar()
            .name("DateTime")
            .description("An ISO 8601 instant with offset (2026-03-01T12:00:00Z); the API answers in UTC.")
            .coercing(new Coercing<Instant, String>() {
                @Override
                public String serialize(Object value, GraphQLContext context, Locale locale) {
                    if (value instanceof Instant instant) {
                        return DateTimeFormatter.ISO_INSTANT.format(instant);
                    }
                    if (value instanceof OffsetDateTime odt) {
                        return DateTimeFormatter.ISO_INSTANT.format(odt.toInstant());
                    }
                    throw new CoercingSerializeException("Not an instant: " + value.getClass().getSimpleName());
                }

                @Override
                public Instant parseValue(Object input, GraphQLContext context, Locale locale) {
                    if (input instanceof String s) {
                        return parse(s, CoercingParseValueException::new);
                    }
                    throw new CoercingParseValueException("DateTime must be a string such as 2026-03-01T12:00:00Z");
                }

                @Override
                public Instant parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
                    if (input instanceof StringValue s) {
                        return parse(s.getValue(), CoercingParseLiteralException::new);
                    }
                    throw new CoercingParseLiteralException("DateTime must be a string such as 2026-03-01T12:00:00Z");
                }
            })
            .build();

    static final GraphQLScalarType CURRENCY_CODE = GraphQLScalarType.newScalar()
            .name("CurrencyCode")
            .description("An ISO 4217 currency code such as USD, EUR, IDR or CNY.")
            .coercing(new Coercing<String, String>() {
                // Lenient on input: an unknown code reaches the resolver, which answers with the
                // INVALID_CURRENCY user error the contract promises instead of a parse error.
                @Override
                public String serialize(Object value, GraphQLContext context, Locale locale) {
                    return value.toString();
                }

                @Override
                public String parseValue(Object input, GraphQLContext context, Locale locale) {
                    if (input instanceof String s && s.length() <= 16) {
                        return s.strip().toUpperCase(Locale.ROOT);
                    }
                    throw new CoercingParseValueException("CurrencyCode must be a string such as USD");
                }

                @Override
                public String parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
                    if (input instanceof StringValue s && s.getValue().length() <= 16) {
                        return s.getValue().strip().toUpperCase(Locale.ROOT);
                    }
                    throw new CoercingParseLiteralException("CurrencyCode must be a string such as USD");
                }
            })
            .build();

    private static <E extends RuntimeException> Instant parse(String s, java.util.function.Function<String, E> error) {
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw error.apply("DateTime must be ISO 8601 with an offset, such as 2026-03-01T12:00:00Z");
        }
    }
}
