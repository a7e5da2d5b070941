package io.nomadstays.graphql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.UnpooledByteBufAllocator;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.core.io.buffer.NettyDataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.graphql.server.WebGraphQlHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

class GraphQlAnswerHandlerTests {

    private final JsonMapper json = JsonMapper.builder().build();
    private final GraphQlAnswerHandler handler = new GraphQlAnswerHandler(
            WebGraphQlHandler.builder(request -> Mono.error(new IllegalStateException("not called"))).build(), json);

    enum Classification { BAD_REQUEST }

    record Extra(String code, int attempts) {}

    record Broken(String code) {
        @Override
        public String code() {
            throw new IllegalStateException("unreadable");
        }
    }

    @Test
    void writesTheSameBytesAsJackson() {
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("id", "U3RheToxMjM=");
        card.put("name", "Ca' Foscari \"loft\" \\ tab\t newline\n control\u0001 大理 café 🌴");
        card.put("capacity", 2);
        card.put("priceMinor", 125_000_000_000L);
        card.put("distanceKm", 3.1415926);
        card.put("small", 1.0E-7);
        card.put("rate", new BigDecimal("0.92150"));
        card.put("verified", true);
        card.put("rating", null);
        card.put("amenities", List.of("DESK", "WIFI"));
        card.put("empty", Map.of());
        card.put("none", List.of());
        card.put("nullsInList", Arrays.asList(null, 1, null));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("searchStays", Map.of("edges", List.of(Map.of("node", card)), "totalCount", 1));

        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", "Dates are out of range");
        error.put("locations", List.of(Map.of("line", 1, "column", 9)));
        error.put("path", List.of("searchStays", 0, "node"));
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("classification", Classification.BAD_REQUEST);
        extensions.put("at", Instant.parse("2026-11-29T08:00:00Z"));
        extensions.put("extra", new Extra("RETRY", 3));
        extensions.put("nan", Double.NaN);
        error.put("extensions", extensions);

        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("errors", List.of(error));
        answer.put("data", data);

        assertThat(written(answer)).isEqualTo(json.writeValueAsString(answer));
    }

    @Test
    void anAnswerLargerThanTheFirstBufferIsWhole() {
        List<Object> stays = new ArrayList<>();
        IntStream.range(0, 2_000).forEach(i -> stays.add(Map.of("id", "stay-" + i, "n", i)));
        Map<String, Object> answer = Map.of("data", Map.of("stays", stays));

        String body = written(answer);
        assertThat(body.length()).isGreaterThan(20_000);
        assertThat(body).isEqualTo(json.writeValueAsString(answer));
    }

    @Test
    void aValueJacksonCannotWriteFailsAndReleasesTheBuffer() {
        List<NettyDataBuffer> allocated = new ArrayList<>();
        NettyDataBufferFactory netty = new NettyDataBufferFactory(new UnpooledByteBufAllocator(false)) {
            @Override
            public NettyDataBuffer allocateBuffer(int initialCapacity) {
                NettyDataBuffer buffer = super.allocateBuffer(initialCapacity);
                allocated.add(buffer);
                return buffer;
            }
        };
        Map<String, Object> answer = Map.of("data", Map.of("broken", new Broken("x")));

        assertThatThrownBy(() -> handler.encode(answer, netty)).isInstanceOf(RuntimeException.class);
        assertThat(allocated).hasSize(1);
        assertThat(allocated.get(0).getNativeBuffer().refCnt()).isZero();
    }

    private String written(Map<String, Object> answer) {
        DataBuffer buffer = handler.encode(answer, DefaultDataBufferFactory.sharedInstance);
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
