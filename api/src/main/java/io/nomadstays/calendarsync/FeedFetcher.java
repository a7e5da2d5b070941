package io.nomadstays.calendarsync;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Downloads a feed as bytes, treating the other end as hostile: connect and read timeouts, a
 * hard size limit enforced while reading (a 50 MB answer costs us 5 MB at most), redirects
 * followed by hand so that each hop is checked again, and by default no private addresses.
 * Every failure is a {@link FeedProblem} whose message staff see.
 */
@Component
class FeedFetcher {

    /** Why a feed could not be fetched, in words for staff. */
    static final class FeedProblem extends Exception {
        FeedProblem(String message) {
            super(message);
        }
    }

    private final CalendarSyncProperties settings;
    private final HttpClient client;

    FeedFetcher(CalendarSyncProperties settings) {
        this.settings = settings;
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    Mono<byte[]> fetch(URI url) {
        return fetch(url, 0);
    }

    private Mono<byte[]> fetch(URI url, int redirects) {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(settings.readTimeout())
                .header("Accept", "text/calendar, */*;q=0.5")
                .header("User-Agent", "NomadStays-CalendarSync/1.0")
                .GET().build();
        long limit = settings.maxBodySize().toBytes();
        return Mono.fromCallable(() -> {
                    checkAddress(url);
                    return url;
                })
                // Name resolution blocks.
                .subscribeOn(Schedulers.boundedElastic())
                .then(Mono.fromFuture(() -> client.sendAsync(request, info -> info.statusCode() / 100 == 2
                        ? new LimitedBody(limit, info.headers().firstValueAsLong("Content-Length").orElse(-1))
                        : HttpResponse.BodySubscribers.replacing(new byte[0]))))
                // HttpRequest.timeout ends when the headers arrive; this also bounds a body that trickles in.
                .timeout(settings.readTimeout())
                .onErrorMap(e -> !(e instanceof FeedProblem), FeedFetcher::describe)
                .flatMap(response -> {
                    int status = response.statusCode();
                    if (status / 100 == 2) {
                        return Mono.just(response.body());
                    }
                    if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                        if (redirects >= settings.maxRedirects()) {
                            return Mono.error(new FeedProblem("more than " + settings.maxRedirects() + " redirects"));
                        }
                        var location = response.headers().firstValue("Location");
                        if (location.isEmpty()) {
                            return Mono.error(new FeedProblem("redirect (HTTP " + status + ") without a Location"));
                        }
                        URI next;
                        try {
                            next = url.resolve(location.get());
                        } catch (IllegalArgumentException e) {
                            return Mono.error(new FeedProblem("redirect to an invalid URL"));
                        }
                        String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
                        if (!scheme.equals("http") && !scheme.equals("https")) {
                            return Mono.error(new FeedProblem("redirect to a URL that is not http or https"));
                        }
                        return fetch(next, redirects + 1);
                    }
                    return Mono.error(new FeedProblem("the server answered HTTP " + status));
                });
    }

    private void checkAddress(URI url) throws FeedProblem {
        if (url.getHost() == null) {
            throw new FeedProblem("the URL has no host");
        }
        if (settings.allowPrivateAddresses()) {
            return;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(url.getHost())) {
                if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                        || address.isSiteLocalAddress() || address.isMulticastAddress()
                        || (address.getAddress().length == 16 && (address.getAddress()[0] & 0xfe) == 0xfc)) {
                    throw new FeedProblem("the host " + url.getHost() + " is a private address");
                }
            }
        } catch (UnknownHostException e) {
            throw new FeedProblem("unknown host " + url.getHost());
        }
    }

    private static Throwable describe(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof FeedProblem) {
            return cause;
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return new FeedProblem("could not connect in time");
        }
        if (cause instanceof TimeoutException || cause instanceof HttpTimeoutException) {
            return new FeedProblem("no complete answer in time (timed out)");
        }
        if (cause instanceof ConnectException) {
            return new FeedProblem("could not connect");
        }
        if (cause instanceof IOException) {
            return new FeedProblem("download failed: " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()));
        }
        return new FeedProblem("download failed: " + cause.getClass().getSimpleName());
    }

    /** Collects the body up to {@code limit} bytes and cancels the download past it. */
    static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

        private final long limit;
        private final long declared;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        LimitedBody(long limit, long declared) {
            this.limit = limit;
            this.declared = declared;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (declared > limit) {
                s.cancel();
                result.completeExceptionally(tooLarge());
                return;
            }
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                if (body.size() + (long) buffer.remaining() > limit) {
                    subscription.cancel();
                    result.completeExceptionally(tooLarge());
                    return;
                }
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                body.writeBytes(bytes);
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(body.toByteArray());
        }

        private FeedProblem tooLarge() {
            long mb = limit / (1024 * 1024);
            return new FeedProblem("the feed is larger than " + (mb > 0 ? mb + " MB" : limit + " bytes") + "; it was not read");
        }
    }
}
