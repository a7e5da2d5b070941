package io.nomadstays.search;

import co.elastic.clients.transport.rest5_client.low_level.HttpAsyncResponseConsumerFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentTooLongException;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.message.BasicClassicHttpResponse;
import org.apache.hc.core5.http.nio.AsyncEntityConsumer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.entity.AbstractBinDataConsumer;
import org.apache.hc.core5.http.nio.support.AbstractAsyncResponseConsumer;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Reads a search answer into one array, sized from the answers before it.
 *
 * <p>The REST client's own consumer starts every answer in 8 kB and doubles it as chunks arrive,
 * then copies the whole into an array of the exact size: for a page of 20 hits (about 70 kB, sent
 * chunked, so of unknown length) that is 250 kB allocated and 190 kB copied, about 40% of what a
 * search allocates in the API, where the answer itself is read once (docs/benchmarks.md,
 * "Profiling"). Here the first array is the last answer's size and a quarter, the answer stays in
 * it, and {@link SearchCall} parses it where it lies ({@link Bytes}).
 */
final class AnswerConsumer extends AbstractBinDataConsumer implements AsyncEntityConsumer<ByteArrayEntity> {

    /** The REST client's own limit for a buffered answer. */
    static final int LIMIT = 100 * 1024 * 1024;

    private static final int SMALLEST = 16 * 1024;

    /** The answers' sizes for one {@link SearchCall}: the next first array follows the last answer. */
    static final class Sizes implements HttpAsyncResponseConsumerFactory {

        private final AtomicInteger last = new AtomicInteger(SMALLEST);
        private final int limit;

        Sizes() {
            this(LIMIT);
        }

        Sizes(int limit) {
            this.limit = limit;
        }

        int firstCapacity() {
            int size = last.get();
            return Math.min(limit, Math.max(SMALLEST, size + size / 4));
        }

        void answered(int size) {
            last.set(size);
        }

        @Override
        public AsyncResponseConsumer<ClassicHttpResponse> createHttpAsyncResponseConsumer() {
            return new Response(new AnswerConsumer(this));
        }
    }

    /** An answer's bytes, for a parser to read in place. */
    static final class Bytes extends ByteArrayEntity {

        private final byte[] array;
        private final int length;

        Bytes(byte[] array, int length, ContentType contentType, String contentEncoding) {
            super(array, 0, length, contentType, contentEncoding);
            this.array = array;
            this.length = length;
        }

        byte[] array() {
            return array;
        }

        int length() {
            return length;
        }
    }

    /** The REST client's response consumer (package-private there), around an {@link AnswerConsumer}. */
    private static final class Response extends AbstractAsyncResponseConsumer<ClassicHttpResponse, ByteArrayEntity> {

        Response(AnswerConsumer entity) {
            super(entity);
        }

        @Override
        public void informationResponse(HttpResponse response, HttpContext context) {
        }

        @Override
        protected ClassicHttpResponse buildResult(HttpResponse response, ByteArrayEntity entity, ContentType contentType) {
            BasicClassicHttpResponse result = new BasicClassicHttpResponse(response.getCode(), response.getReasonPhrase());
            result.setEntity(entity);
            result.setHeaders(response.getHeaders());
            return result;
        }
    }

    private final Sizes sizes;
    private final int limit;
    private byte[] array;
    private int length;
    private volatile FutureCallback<ByteArrayEntity> callback;
    private volatile ContentType contentType;
    private volatile String contentEncoding;
    private volatile ByteArrayEntity result;

    private AnswerConsumer(Sizes sizes) {
        this.sizes = sizes;
        this.limit = sizes.limit;
    }

    @Override
    public void streamStart(EntityDetails details, FutureCallback<ByteArrayEntity> callback) {
        this.contentType = details == null ? null : ContentType.parse(details.getContentType());
        this.contentEncoding = details == null ? null : details.getContentEncoding();
        this.callback = callback;
        long declared = details == null ? -1 : details.getContentLength();
        array = new byte[declared >= 0 && declared <= limit ? (int) declared : sizes.firstCapacity()];
        length = 0;
    }

    @Override
    protected int capacityIncrement() {
        return limit;
    }

    @Override
    protected void data(ByteBuffer src, boolean endOfStream) throws ContentTooLongException {
        int n = src.remaining();
        if (n > limit - length) {
            throw new ContentTooLongException("entity content is too long [" + ((long) length + n)
                    + "] for the configured buffer limit [" + limit + "]");
        }
        if (length + n > array.length) {
            array = Arrays.copyOf(array, (int) Math.min(limit, Math.max(2L * array.length, (long) length + n)));
        }
        src.get(array, length, n);
        length += n;
    }

    @Override
    protected void completed() {
        sizes.answered(length);
        result = new Bytes(array, length, contentType, contentEncoding);
        array = null;
        if (callback != null) {
            callback.completed(result);
        }
    }

    @Override
    public ByteArrayEntity getContent() {
        return result;
    }

    @Override
    public void failed(Exception cause) {
        if (callback != null) {
            callback.failed(cause);
        }
        releaseResources();
    }

    @Override
    public void releaseResources() {
        array = null;
    }
}
