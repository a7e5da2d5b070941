package io.nomadstays.bench;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Jackson 3 for everything that is not timed: building request bodies once, reading answers to verify them. */
final class Json {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static JsonNode read(byte[] bytes) {
        return MAPPER.readTree(bytes);
    }

    static byte[] bytes(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }

    /** A JSON string literal, quotes included. */
    static String quote(String s) {
        return MAPPER.writeValueAsString(s);
    }
}
