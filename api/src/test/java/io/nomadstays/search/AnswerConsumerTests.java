package io.nomadstays.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentTooLongException;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpStatus;
import org.apache.hc.core5.http.impl.BasicEntityDetails;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.junit.jupiter.api.Test;

/** The search answer's consumer; the search integration tests read real answers through it. */
class AnswerConsumerTests {

    private final AnswerConsumer.Sizes sizes = new AnswerConsumer.Sizes();

    @Test
    void keepsAChunkedAnswerWholeInOneArrayAndSizesTheNextOneFromIt() throws Exception {
        byte[] body = bytes(100_000);

        ClassicHttpResponse response = consume(body, -1, 7_000);

        assertThat(EntityUtils.toByteArray(response.getEntity())).isEqualTo(body);
        assertThat(response.getCode()).isEqualTo(200);
        assertThat(response.getFirstHeader("X-elastic-product").getValue()).isEqualTo("Elasticsearch");
        AnswerConsumer.Bytes bytes = (AnswerConsumer.Bytes) response.getEntity();
        assertThat(bytes.length()).isEqualTo(body.length);
        assertThat(Arrays.copyOf(bytes.array(), bytes.length())).isEqualTo(body);
        assertThat(sizes.firstCapacity()).isEqualTo(125_000);

        // The next answer starts in an array that holds it: nothing to grow or copy.
        byte[] next = bytes(90_000);
        AnswerConsumer.Bytes again = (AnswerConsumer.Bytes) consume(next, -1, 16_384).getEntity();
        assertThat(again.array()).hasSize(125_000);
        assertThat(Arrays.copyOf(again.array(), again.length())).isEqualTo(next);
    }

    @Test
    void usesTheDeclaredLengthWhenThereIsOne() throws Exception {
        byte[] body = bytes(30_000);

        AnswerConsumer.Bytes bytes = (AnswerConsumer.Bytes) consume(body, body.length, 4_096).getEntity();

        assertThat(bytes.array()).hasSize(body.length).isEqualTo(body);
    }

    @Test
    void readsAnEmptyAnswer() throws Exception {
        assertThat(EntityUtils.toByteArray(consume(new byte[0], -1, 1).getEntity())).isEmpty();
    }

    @Test
    void refusesAnAnswerOverTheClientsLimit() throws Exception {
        AsyncResponseConsumer<ClassicHttpResponse> consumer = new AnswerConsumer.Sizes(50_000).createHttpAsyncResponseConsumer();
        List<Exception> failures = new ArrayList<>();
        consumer.consumeResponse(response(), new BasicEntityDetails(-1, ContentType.APPLICATION_JSON), null, callback(new AtomicReference<>(), failures));

        consumer.consume(ByteBuffer.wrap(new byte[40_000]));
        consumer.consume(ByteBuffer.wrap(new byte[10_000]));
        assertThatThrownBy(() -> consumer.consume(ByteBuffer.wrap(new byte[1])))
                .isInstanceOf(ContentTooLongException.class)
                .hasMessageContaining("[50001]")
                .hasMessageContaining("[50000]");
    }

    private ClassicHttpResponse consume(byte[] body, long declaredLength, int chunk) throws Exception {
        AsyncResponseConsumer<ClassicHttpResponse> consumer = sizes.createHttpAsyncResponseConsumer();
        AtomicReference<ClassicHttpResponse> result = new AtomicReference<>();
        List<Exception> failures = new ArrayList<>();
        consumer.consumeResponse(response(), new BasicEntityDetails(declaredLength, ContentType.APPLICATION_JSON), null, callback(result, failures));
        for (int from = 0; from < body.length; from += chunk) {
            // A slice at an offset, as the connection hands its read buffer over.
            ByteBuffer buffer = ByteBuffer.allocate(chunk + 10);
            buffer.position(10);
            buffer.put(body, from, Math.min(chunk, body.length - from));
            buffer.flip().position(10);
            consumer.consume(buffer);
        }
        consumer.streamEnd(null);
        assertThat(failures).isEmpty();
        assertThat(result.get()).isNotNull();
        return result.get();
    }

    private static BasicHttpResponse response() {
        BasicHttpResponse response = new BasicHttpResponse(HttpStatus.SC_OK, "OK");
        response.addHeader("X-elastic-product", "Elasticsearch");
        return response;
    }

    private static FutureCallback<ClassicHttpResponse> callback(AtomicReference<ClassicHttpResponse> result, List<Exception> failures) {
        return new FutureCallback<>() {
            @Override
            public void completed(ClassicHttpResponse response) {
                result.set(response);
            }

            @Override
            public void failed(Exception e) {
                failures.add(e);
            }

            @Override
            public void cancelled() {
                failures.add(new IllegalStateException("cancelled"));
            }
        };
    }

    private static byte[] bytes(int n) {
        StringBuilder text = new StringBuilder(n);
        for (int i = 0; text.length() < n; i++) {
            text.append("{\"hit\":").append(i).append(",\"city\":\"大理\"},");
        }
        byte[] utf8 = text.toString().getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(utf8, n);
    }
}
