package io.nomadstays.index;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;

/**
 * An error answer from Elasticsearch, with its status and {@code error.type}. The low-level
 * {@code Rest5Client} throws only for 5xx and connection failures and hands 4xx answers over as
 * responses: whoever reads them through it (the indexer, the api's search) turns those into this.
 */
public final class ElasticsearchRefused extends IOException {

    private final int status;
    private final String type;

    private ElasticsearchRefused(String what, int status, String type, String detail) {
        super(what + ": Elasticsearch answered " + status + (detail.isEmpty() ? "" : " " + detail));
        this.status = status;
        this.type = type;
    }

    /**
     * @param what the request, for the message ({@code "PUT /stays-v1-..."})
     * @param body the answer's body (null when it has none): {@code error.type: error.reason}, or its
     *             first 200 characters when it is not Elasticsearch's error JSON
     */
    public static ElasticsearchRefused of(String what, int status, InputStream body) {
        String type = null;
        String detail = "";
        if (body != null) {
            try {
                byte[] bytes = body.readNBytes(64 * 1024);
                JsonNode error = null;
                try {
                    error = Json.MAPPER.readTree(bytes).path("error");
                } catch (RuntimeException notJson) {
                    // The text below says what it was.
                }
                if (error != null && error.isObject()) {
                    type = error.path("type").asString(null);
                    detail = type + ": " + error.path("reason").asString("");
                } else if (error != null && error.isString()) {
                    type = error.asString();
                    detail = type;
                } else {
                    String text = new String(bytes, StandardCharsets.UTF_8).strip();
                    detail = text.length() <= 200 ? text : text.substring(0, 200);
                }
            } catch (IOException unreadable) {
                detail = "(unreadable answer: " + unreadable + ")";
            }
        }
        return new ElasticsearchRefused(what, status, type, detail);
    }

    public int status() {
        return status;
    }

    /** Elasticsearch's {@code error.type}, such as {@code index_not_found_exception}; null when the answer had none. */
    public String type() {
        return type;
    }
}
