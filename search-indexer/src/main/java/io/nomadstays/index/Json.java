package io.nomadstays.index;

import tools.jackson.databind.json.JsonMapper;

/** The one JSON mapper of the module (Jackson 3): documents are written as bytes we serialise ourselves. */
final class Json {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }
}
