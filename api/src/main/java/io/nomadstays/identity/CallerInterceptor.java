package io.nomadstays.identity;

import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Resolves the {@link Caller} once per GraphQL request and puts it in the GraphQL context. */
@Component
class CallerInterceptor implements WebGraphQlInterceptor {

    private final Callers callers;

    CallerInterceptor(Callers callers) {
        this.callers = callers;
    }

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        return ReactiveSecurityContextHolder.getContext()
                .map(SecurityContext::getAuthentication)
                .flatMap(this::toCaller)
                .defaultIfEmpty(Caller.ANONYMOUS)
                .flatMap(caller -> {
                    request.configureExecutionInput((input, builder) ->
                            builder.graphQLContext(ctx -> ctx.put(Caller.CONTEXT_KEY, caller)).build());
                    return chain.next(request);
                });
    }

    private Mono<Caller> toCaller(Authentication authentication) {
        if (authentication instanceof JwtAuthenticationToken jwt && authentication.isAuthenticated()) {
            return callers.resolve(jwt.getToken());
        }
        return Mono.empty();
    }
}
