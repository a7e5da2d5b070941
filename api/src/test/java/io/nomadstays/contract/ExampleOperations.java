package io.nomadstays.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import tools.jackson.databind.json.JsonMapper;

/**
 * The example operations of {@code schema/examples}: {@code NAME.graphql} (one operation, with a
 * leading comment) and its variables {@code NAME.variables.json}, whose string values may be
 * placeholders such as {@code "$OPERATOR_ID"} that a test fills in. Read from the repository when
 * there is one, else from the schema jar ({@code graphql-examples/}).
 */
final class ExampleOperations {

    static final String OPERATION_SUFFIX = ".graphql";
    static final String VARIABLES_SUFFIX = ".variables.json";
    private static final Pattern PLACEHOLDER = Pattern.compile("\"\\$([A-Z][A-Z0-9_]*)\"");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One example; {@code variablesJson} is null when the file is missing. */
    record Example(String name, String document, String variablesJson, String source) {

        /** The variables with each {@code "$NAME"} placeholder replaced by {@code values.get(NAME)}. */
        Map<String, Object> variables(Map<String, String> values) {
            Matcher m = PLACEHOLDER.matcher(variablesJson);
            StringBuilder json = new StringBuilder();
            while (m.find()) {
                String value = values.get(m.group(1));
                if (value == null) {
                    throw new IllegalStateException(source + VARIABLES_SUFFIX + " uses the placeholder $" + m.group(1)
                            + " but the test case gives no value for it (it has " + values.keySet() + ")");
                }
                m.appendReplacement(json, Matcher.quoteReplacement(JSON.writeValueAsString(value)));
            }
            m.appendTail(json);
            return parse(json.toString());
        }

        /** The variables as written, placeholders left as strings. */
        Map<String, Object> rawVariables() {
            return parse(variablesJson);
        }

        @SuppressWarnings("unchecked")
        private Map<String, Object> parse(String json) {
            return JSON.readValue(json, Map.class);
        }
    }

    private ExampleOperations() {
    }

    /** Where the examples were read from, and what was there: operations by name, and every file name. */
    record Catalog(String location, Map<String, Example> examples, java.util.List<String> files) {
    }

    static Catalog load() {
        Path dir = null;
        try {
            dir = ContractSchema.repositoryRoot().resolve(ContractSchema.EXAMPLES_DIR);
        } catch (IllegalStateException noRepository) {
            // Not in a checkout: fall back to the examples packaged in the schema jar.
        }
        return dir != null && Files.isDirectory(dir) ? fromDirectory(dir) : fromClasspath();
    }

    private static Catalog fromDirectory(Path dir) {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(Files::isRegularFile).forEach(f -> files.put(f.getFileName().toString(), read(f)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return catalog(dir.toString(), files);
    }

    private static Catalog fromClasspath() {
        Map<String, String> files = new TreeMap<>();
        try {
            for (Resource r : new PathMatchingResourcePatternResolver().getResources("classpath*:" + ContractSchema.EXAMPLES_CLASSPATH + "/*")) {
                if (r.isReadable() && r.getFilename() != null) {
                    files.put(r.getFilename(), r.getContentAsString(StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("No example operations: neither " + ContractSchema.EXAMPLES_DIR
                    + " in a checkout nor classpath:" + ContractSchema.EXAMPLES_CLASSPATH + "/ (the schema jar)");
        }
        return catalog("classpath:" + ContractSchema.EXAMPLES_CLASSPATH, files);
    }

    private static Catalog catalog(String location, Map<String, String> files) {
        Map<String, Example> examples = new TreeMap<>();
        files.forEach((file, text) -> {
            if (file.endsWith(OPERATION_SUFFIX)) {
                String name = file.substring(0, file.length() - OPERATION_SUFFIX.length());
                examples.put(name, new Example(name, text, files.get(name + VARIABLES_SUFFIX), location + "/" + name));
            }
        });
        return new Catalog(location, examples, java.util.List.copyOf(files.keySet()));
    }

    private static String read(Path file) {
        return ContractSchema.read(file);
    }
}
