package io.nomadstays.graphql;

import graphql.ExecutionResult;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationCreateStateParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.execution.instrumentation.parameters.InstrumentationValidationParameters;
import graphql.language.Argument;
import graphql.language.Directive;
import graphql.language.Document;
import graphql.language.Node;
import graphql.language.NodeTraverser;
import graphql.language.NodeVisitorStub;
import graphql.language.OperationDefinition;
import graphql.language.VariableReference;
import graphql.util.TraversalControl;
import graphql.util.TraverserContext;
import graphql.validation.ValidationError;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;

/**
 * A limit instrumentation ({@code MaxQueryDepthInstrumentation}, {@code MaxQueryComplexityInstrumentation})
 * that checks each operation once instead of on every execution, when the check cannot depend on
 * the variables: no directive takes a variable (an {@code @include(if: $x)} changes what is
 * counted) and none of {@code argumentsRead} (the arguments the limit's calculator reads) takes
 * one. {@link DocumentCache} hands out the same parsed document for the same query, so an
 * operation that passed is known by identity; walking it again cost 2-3% of a search's CPU. An
 * operation that failed, or whose result may depend on variables, is checked every time, as before.
 * Like the limits it wraps, it is a {@link SimplePerformantInstrumentation}: no per-field contexts.
 */
final class RememberedLimit extends SimplePerformantInstrumentation {

    private final Instrumentation limit;
    private final Set<String> argumentsRead;
    private final Map<OperationDefinition, Boolean> passed = Collections.synchronizedMap(new WeakHashMap<>());
    private final Map<Document, Boolean> variableFree = Collections.synchronizedMap(new WeakHashMap<>());

    RememberedLimit(Instrumentation limit, Set<String> argumentsRead) {
        this.limit = limit;
        this.argumentsRead = Set.copyOf(argumentsRead);
    }

    @Override
    public CompletableFuture<InstrumentationState> createStateAsync(InstrumentationCreateStateParameters parameters) {
        return limit.createStateAsync(parameters);
    }

    @Override
    public InstrumentationState createState(InstrumentationCreateStateParameters parameters) {
        return limit.createState(parameters);
    }

    @Override
    public InstrumentationContext<List<ValidationError>> beginValidation(InstrumentationValidationParameters parameters,
                                                                         InstrumentationState state) {
        return limit.beginValidation(parameters, state);
    }

    @Override
    public InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters parameters,
                                                                         InstrumentationState state) {
        var execution = parameters.getExecutionContext();
        OperationDefinition operation = execution.getOperationDefinition();
        if (passed.containsKey(operation)) {
            return SimpleInstrumentationContext.noOp();
        }
        InstrumentationContext<ExecutionResult> context = limit.beginExecuteOperation(parameters, state); // throws when over the limit
        if (variableFree.computeIfAbsent(execution.getDocument(), this::independentOfVariables)) {
            passed.put(operation, Boolean.TRUE);
        }
        return context;
    }

    boolean independentOfVariables(Document document) {
        boolean[] dependent = {false};
        new NodeTraverser().depthFirst(new NodeVisitorStub() {
            @Override
            public TraversalControl visitVariableReference(VariableReference node, TraverserContext<Node> context) {
                for (Node<?> parent : context.getParentNodes()) {
                    if (parent instanceof Directive || parent instanceof Argument argument && argumentsRead.contains(argument.getName())) {
                        dependent[0] = true;
                        return TraversalControl.QUIT;
                    }
                }
                return TraversalControl.CONTINUE;
            }
        }, document);
        return !dependent[0];
    }
}
