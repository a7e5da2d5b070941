package io.nomadstays.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class IndexDefinitionTests {

    @Test
    void theShippedDefinitionIsStrictVersionOneWithARefreshOfOneSecond() {
        IndexDefinition definition = IndexDefinition.load(SearchSettings.DEFAULT_DEFINITION);

        assertThat(definition.version()).isEqualTo("v1");
        assertThat(definition.json().get("mappings").get("dynamic").asString()).isEqualTo("strict");
        assertThat(definition.refreshInterval()).isEqualTo("1s");
        assertThat(definition.numberOfReplicas()).isEqualTo("0");
    }

    @Test
    void aBulkLoadBodyTurnsOffRefreshAndReplicasAndKeepsTheAnalysis() {
        IndexDefinition definition = IndexDefinition.load(SearchSettings.DEFAULT_DEFINITION);

        JsonNode body = Json.MAPPER.readTree(definition.body(true, "stays"));

        assertThat(body.get("settings").get("refresh_interval").asString()).isEqualTo("-1");
        assertThat(body.get("settings").get("number_of_replicas").asString()).isEqualTo("0");
        assertThat(body.get("settings").get("analysis").get("analyzer").has("stay_text")).isTrue();
        assertThat(body.get("aliases").has("stays")).isTrue();
        assertThat(definition.json().get("settings").get("refresh_interval").asString()).as("not changed").isEqualTo("1s");
    }

    @Test
    void aFileDefinitionTakesItsVersionFromItsNameAndNestedSettingsCount(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("stays-v2-icu.json");
        Files.writeString(file, """
                {"settings": {"index": {"refresh_interval": "5s", "number_of_replicas": 1}}, "mappings": {"dynamic": "strict"}}""");

        IndexDefinition definition = IndexDefinition.load("file:" + file);

        assertThat(definition.version()).isEqualTo("v2");
        assertThat(definition.refreshInterval()).isEqualTo("5s");
        assertThat(definition.numberOfReplicas()).isEqualTo("1");
        JsonNode body = Json.MAPPER.readTree(definition.body(true, null));
        assertThat(body.get("settings").get("index").has("refresh_interval")).isFalse();
        assertThat(body.get("settings").get("refresh_interval").asString()).isEqualTo("-1");
        assertThat(body.has("aliases")).isFalse();
    }
}
