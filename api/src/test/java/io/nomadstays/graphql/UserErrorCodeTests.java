package io.nomadstays.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;

class UserErrorCodeTests {

    @Test
    void javaEnumAndSchemaEnumHaveTheSameCodes() throws IOException {
        String sdl = new ClassPathResource("graphql/common.graphqls").getContentAsString(StandardCharsets.UTF_8);
        String body = sdl.substring(sdl.indexOf("enum UserErrorCode {"));
        body = body.substring(0, body.indexOf('}'));
        var inSchema = Pattern.compile("^\\s+([A-Z_]+)\\s*$", Pattern.MULTILINE).matcher(body).results().map(m -> m.group(1)).toList();
        assertThat(inSchema).containsExactlyElementsOf(Arrays.stream(UserErrorCode.values()).map(Enum::name).toList());
    }
}
