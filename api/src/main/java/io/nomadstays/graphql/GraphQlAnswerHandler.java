package io.nomadstays.graphql;

import io.netty.buffer.ByteBufAllocator;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.webflux.GraphQlHttpHandler;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * The GraphQL HTTP endpoint, writing each answer's maps, lists and scalars straight to a JSON
 * generator.
 *
 * <p>Spring's handler gives the answer to WebFlux's Jackson encoder, whose {@code MapSerializer}
 * looks a serializer up for every value of every nested map: 12.8% of the API's CPU on a search
 * answer of 20 result cards (docs/benchmarks.md, "Profiling"). An answer from graphql-java's
 * {@code toSpecification()} holds only maps, lists, strings, numbers, booleans and nulls; anything
 * else (a value a resolver put into an error's extensions) is written by the application's
 * {@link JsonMapper}, as before. The bytes are the ones Jackson wrote: {@code GraphQlAnswerHandlerTests}.
 *
 * <p>The answer is written into a buffer of the web server's own (Netty's pooled) allocator, which
 * the server sends as it is: any other buffer is copied into a new one on its way out.
 */
final class GraphQlAnswerHandler extends GraphQlHttpHandler {

    /** Most answers fit (a search page of 20 result cards is about 10 kB); a larger one grows the buffer. */
    private static final int FIRST_BUFFER_BYTES = 16 * 1024;

    private static final DataBufferFactory SERVER_BUFFERS = new NettyDataBufferFactory(ByteBufAllocator.DEFAULT);

    private final JsonMapper json;

    GraphQlAnswerHandler(WebGraphQlHandler handler, JsonMapper json) {
        super(handler);
        this.json = json;
    }

    @Override
    protected Object encodeResponseIfNecessary(WebGraphQlResponse response) {
        return encode(response.toMap(), SERVER_BUFFERS);
    }

    DataBuffer encode(Map<String, Object> answer, DataBufferFactory buffers) {
        DataBuffer buffer = buffers.allocateBuffer(FIRST_BUFFER_BYTES);
        boolean written = false;
        try (JsonGenerator out = json.createGenerator(buffer.asOutputStream())) {
            write(out, answer);
            written = true;
        } finally {
            if (!written) {
                DataBufferUtils.release(buffer);
            }
        }
        return buffer;
    }

    private static void write(JsonGenerator out, Object value) {
        if (value instanceof String s) {
            out.writeString(s);
        } else if (value instanceof Map<?, ?> map) {
            out.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.writeName(String.valueOf(e.getKey()));
                write(out, e.getValue());
            }
            out.writeEndObject();
        } else if (value instanceof List<?> list) {
            out.writeStartArray();
            for (Object item : list) {
                write(out, item);
            }
            out.writeEndArray();
        } else if (value == null) {
            out.writeNull();
        } else if (value instanceof Boolean b) {
            out.writeBoolean(b);
        } else if (value instanceof Integer n) {
            out.writeNumber(n);
        } else if (value instanceof Long n) {
            out.writeNumber(n);
        } else if (value instanceof Double n) {
            out.writeNumber(n);
        } else if (value instanceof BigDecimal n) {
            out.writeNumber(n);
        } else {
            out.writePOJO(value);
        }
    }
}
