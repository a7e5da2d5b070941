package io.nomadstays.graphql;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.DocumentAndVariables;
import graphql.execution.instrumentation.ExecuteObjectInstrumentationContext;
import graphql.execution.instrumentation.ExecutionStrategyInstrumentationContext;
import graphql.execution.instrumentation.FieldFetchingInstrumentationContext;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.parameters.InstrumentationCreateStateParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionStrategyParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldCompleteParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldParameters;
import graphql.execution.instrumentation.parameters.InstrumentationReactiveResultsParameters;
import graphql.execution.instrumentation.parameters.InstrumentationValidationParameters;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLSchema;
import graphql.validation.ValidationError;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The one instrumentation GraphQL runs: the query limits, which only take part in validation and
 * in the start of an operation, and {@code next} (Spring's observations), which sees every hook.
 *
 * <p>Why not graphql-java's {@code ChainedInstrumentation}: it calls each member for each field's
 * execution, fetch and completion and allocates lists to do so, although the limits do nothing
 * there; that dispatch was 6% of a search's CPU (docs/benchmarks.md, "Profiling"). Here a field
 * hook is one call to {@code next}.
 */
final class LimitsFirst implements Instrumentation {

    private final List<Instrumentation> limits;
    private final Instrumentation next;

    /** The limits' states in their order, and the state of {@code next}. */
    private record State(List<InstrumentationState> limits, InstrumentationState next) implements InstrumentationState {
    }

    LimitsFirst(List<Instrumentation> limits, Instrumentation next) {
        this.limits = List.copyOf(limits);
        this.next = next;
    }

    @Override
    public CompletableFuture<InstrumentationState> createStateAsync(InstrumentationCreateStateParameters parameters) {
        List<CompletableFuture<InstrumentationState>> states = new ArrayList<>(limits.size() + 1);
        for (Instrumentation limit : limits) {
            states.add(orNull(limit.createStateAsync(parameters)));
        }
        states.add(orNull(next.createStateAsync(parameters)));
        return CompletableFuture.allOf(states.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<InstrumentationState> limitStates = new ArrayList<>(limits.size());
            for (int i = 0; i < limits.size(); i++) {
                limitStates.add(states.get(i).join());
            }
            return new State(limitStates, states.get(limits.size()).join());
        });
    }

    private static CompletableFuture<InstrumentationState> orNull(CompletableFuture<InstrumentationState> state) {
        return state == null ? CompletableFuture.completedFuture(null) : state;
    }

    private static InstrumentationState nextState(InstrumentationState state) {
        return state instanceof State s ? s.next() : null;
    }

    @Override
    public InstrumentationContext<List<ValidationError>> beginValidation(InstrumentationValidationParameters parameters,
                                                                         InstrumentationState state) {
        return limitsThenNext(state, (limit, s) -> limit.beginValidation(parameters, s),
                () -> next.beginValidation(parameters, nextState(state)));
    }

    @Override
    public InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters parameters,
                                                                         InstrumentationState state) {
        // A limit throws (AbortExecutionException) when the operation is over it, before next begins anything.
        return limitsThenNext(state, (limit, s) -> limit.beginExecuteOperation(parameters, s),
                () -> next.beginExecuteOperation(parameters, nextState(state)));
    }

    private <T> InstrumentationContext<T> limitsThenNext(InstrumentationState state,
                                                         BiFunction<Instrumentation, InstrumentationState, InstrumentationContext<T>> limitHook,
                                                         Supplier<InstrumentationContext<T>> nextHook) {
        List<InstrumentationState> limitStates = state instanceof State s ? s.limits() : null;
        List<InstrumentationContext<T>> contexts = new ArrayList<>(limits.size() + 1);
        for (int i = 0; i < limits.size(); i++) {
            InstrumentationContext<T> context = limitHook.apply(limits.get(i), limitStates == null ? null : limitStates.get(i));
            if (context != null) {
                contexts.add(context);
            }
        }
        InstrumentationContext<T> last = nextHook.get();
        if (last != null) {
            contexts.add(last);
        }
        return contexts.isEmpty() ? null : contexts.size() == 1 ? contexts.get(0) : new All<>(contexts);
    }

    /** Several contexts told of the same events, in order. */
    private record All<T>(List<InstrumentationContext<T>> contexts) implements InstrumentationContext<T> {

        @Override
        public void onDispatched() {
            contexts.forEach(InstrumentationContext::onDispatched);
        }

        @Override
        public void onCompleted(T result, Throwable t) {
            contexts.forEach(c -> c.onCompleted(result, t));
        }
    }

    // Every other hook is the next instrumentation's alone.

    @Override
    public InstrumentationContext<ExecutionResult> beginExecution(InstrumentationExecutionParameters parameters, InstrumentationState state) {
        return next.beginExecution(parameters, nextState(state));
    }

    @Override
    public InstrumentationContext<graphql.language.Document> beginParse(InstrumentationExecutionParameters parameters,
                                                                        InstrumentationState state) {
        return next.beginParse(parameters, nextState(state));
    }

    @Override
    public InstrumentationContext<Void> beginReactiveResults(InstrumentationReactiveResultsParameters parameters,
                                                             InstrumentationState state) {
        return next.beginReactiveResults(parameters, nextState(state));
    }

    @Override
    public ExecutionStrategyInstrumentationContext beginExecutionStrategy(InstrumentationExecutionStrategyParameters parameters,
                                                                          InstrumentationState state) {
        return next.beginExecutionStrategy(parameters, nextState(state));
    }

    @Override
    public ExecuteObjectInstrumentationContext beginExecuteObject(InstrumentationExecutionStrategyParameters parameters,
                                                                  InstrumentationState state) {
        return next.beginExecuteObject(parameters, nextState(state));
    }

    @Override
    public InstrumentationContext<Object> beginDeferredField(InstrumentationFieldParameters parameters, InstrumentationState state) {
        return next.beginDeferredField(parameters, nextState(state));
    }

    @Override
    public InstrumentationContext<ExecutionResult> beginSubscribedFieldEvent(InstrumentationFieldParameters parameters,
                                                                             InstrumentationState state) {
        return next.beginSubscribedFieldEvent(parameters, nextState(state));
    }

    @Override
    public InstrumentationContext<Object> beginFieldExecution(InstrumentationFieldParameters parameters, InstrumentationState state) {
        return next.beginFieldExecution(parameters, nextState(state));
    }

    @Override
    @SuppressWarnings("deprecation")
    public InstrumentationContext<Object> beginFieldFetch(InstrumentationFieldFetchParameters parameters, InstrumentationState state) {
        return next.beginFieldFetch(parameters, nextState(state));
    }

    @Override
    public FieldFetchingInstrumentationContext beginFieldFetching(InstrumentationFieldFetchParameters parameters,
                                                                  InstrumentationState state) {
        return next.beginFieldFetching(parameters, nextState(state));
    }

    @Override
    public InstrumentationContext<Object> beginFieldCompletion(InstrumentationFieldCompleteParameters parameters,
                                                               InstrumentationState state) {
        return next.beginFieldCompletion(parameters, nextState(state));
    }

    @Override
    public InstrumentationContext<Object> beginFieldListCompletion(InstrumentationFieldCompleteParameters parameters,
                                                                   InstrumentationState state) {
        return next.beginFieldListCompletion(parameters, nextState(state));
    }

    @Override
    public ExecutionInput instrumentExecutionInput(ExecutionInput input, InstrumentationExecutionParameters parameters,
                                                   InstrumentationState state) {
        return next.instrumentExecutionInput(input, parameters, nextState(state));
    }

    @Override
    public DocumentAndVariables instrumentDocumentAndVariables(DocumentAndVariables documentAndVariables,
                                                               InstrumentationExecutionParameters parameters, InstrumentationState state) {
        return next.instrumentDocumentAndVariables(documentAndVariables, parameters, nextState(state));
    }

    @Override
    public GraphQLSchema instrumentSchema(GraphQLSchema schema, InstrumentationExecutionParameters parameters, InstrumentationState state) {
        return next.instrumentSchema(schema, parameters, nextState(state));
    }

    @Override
    public ExecutionContext instrumentExecutionContext(ExecutionContext context, InstrumentationExecutionParameters parameters,
                                                       InstrumentationState state) {
        return next.instrumentExecutionContext(context, parameters, nextState(state));
    }

    @Override
    public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> dataFetcher, InstrumentationFieldFetchParameters parameters,
                                                InstrumentationState state) {
        return next.instrumentDataFetcher(dataFetcher, parameters, nextState(state));
    }

    @Override
    public CompletableFuture<ExecutionResult> instrumentExecutionResult(ExecutionResult result, InstrumentationExecutionParameters parameters,
                                                                        InstrumentationState state) {
        return next.instrumentExecutionResult(result, parameters, nextState(state));
    }

    @Override
    public String toString() {
        return "LimitsFirst[" + limits.size() + " limits, then " + next + "]";
    }
}
