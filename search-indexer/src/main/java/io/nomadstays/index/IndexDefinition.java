package io.nomadstays.index;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The settings and mappings a concrete index is created from ({@code search/stays-v1.json} by default).
 * The version ({@code v1}) comes from the file name, so a production file such as
 * {@code file:/etc/nomad/stays-v1-icu.json} names its indices {@code stays-v1-...} as well: it must
 * keep the field names and types of the contract (docs/search-document.md) and may change analysis.
 */
record IndexDefinition(String location, String version, ObjectNode json) {

    private static final Pattern VERSION = Pattern.compile("(v\\d+)");

    static IndexDefinition load(String location) {
        byte[] bytes;
        try {
            if (location.startsWith("classpath:")) {
                String path = location.substring("classpath:".length()).replaceFirst("^/", "");
                try (InputStream in = IndexDefinition.class.getClassLoader().getResourceAsStream(path)) {
                    if (in == null) {
                        throw new IllegalArgumentException("No index definition on the classpath at " + path);
                    }
                    bytes = in.readAllBytes();
                }
            } else {
                String path = location.startsWith("file:") ? location.substring("file:".length()) : location;
                bytes = Files.readAllBytes(Path.of(path));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the index definition " + location, e);
        }
        JsonNode tree = Json.MAPPER.readTree(bytes);
        if (!(tree instanceof ObjectNode object) || !object.has("mappings")) {
            throw new IllegalArgumentException("Index definition " + location + " is not an object with mappings");
        }
        String name = location.substring(location.lastIndexOf('/') + 1);
        Matcher m = VERSION.matcher(name);
        return new IndexDefinition(location, m.find() ? m.group(1) : "v1", object);
    }

    /** The definition's refresh interval ({@code 1s} when it sets none). */
    String refreshInterval() {
        return setting("refresh_interval", "1s");
    }

    /** The definition's translog durability ({@code request}, Elasticsearch's default, when it sets none). */
    String translogDurability() {
        JsonNode settings = json.path("settings");
        JsonNode value = settings.has("translog.durability") ? settings.get("translog.durability")
                : settings.path("translog").has("durability") ? settings.path("translog").get("durability")
                : settings.path("index").path("translog").get("durability");
        return value == null || value.isNull() ? "request" : value.asString();
    }

    /** The definition's replica count ({@code 1}, Elasticsearch's default, when it sets none). */
    String numberOfReplicas() {
        return setting("number_of_replicas", "1");
    }

    /**
     * The create-index body. A bulk load gets no refreshes and no replicas; {@link StaysIndex}
     * restores the definition's values afterwards.
     */
    String body(boolean forBulkLoad, String alias) {
        ObjectNode body = json.deepCopy();
        if (forBulkLoad) {
            ObjectNode settings = body.has("settings") ? (ObjectNode) body.get("settings") : body.putObject("settings");
            if (settings.get("index") instanceof ObjectNode nested) {
                nested.remove("refresh_interval");
                nested.remove("number_of_replicas");
                nested.remove("translog");
            }
            settings.put("refresh_interval", "-1");
            settings.put("number_of_replicas", "0");
            // A lost tail of the translog only costs a resumed run, which rewrites from last_unit_id.
            settings.put("translog.durability", "async");
        }
        if (alias != null) {
            body.putObject("aliases").putObject(alias);
        }
        return Json.MAPPER.writeValueAsString(body);
    }

    private String setting(String key, String fallback) {
        JsonNode settings = json.path("settings");
        JsonNode value = settings.has(key) ? settings.get(key) : settings.path("index").get(key);
        return value == null || value.isNull() ? fallback : value.asString();
    }
}
