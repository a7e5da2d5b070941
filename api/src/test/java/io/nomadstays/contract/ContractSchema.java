package io.nomadstays.contract;

import graphql.schema.GraphQLSchema;
import graphql.schema.GraphqlTypeComparatorRegistry;
import graphql.schema.idl.SchemaPrinter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The one place that decides how the served schema is printed for the committed snapshot
 * ({@code schema/schema.snapshot.graphqls}) and for the breaking-change check, and where the
 * repository's files are. See docs/schema-contract.md.
 */
final class ContractSchema {

    /** The snapshot, relative to the repository root. */
    static final String SNAPSHOT = "schema/schema.snapshot.graphqls";
    /** Intended breaking and dangerous changes, relative to the repository root. */
    static final String INTENDED_CHANGES = "schema/intended-changes.txt";
    /** Example operations, relative to the repository root ... */
    static final String EXAMPLES_DIR = "schema/examples";
    /** ... and inside the schema jar. */
    static final String EXAMPLES_CLASSPATH = "graphql-examples";

    /** {@code -Dschema.snapshot.update=true} rewrites the snapshot instead of comparing. */
    static final String UPDATE_PROPERTY = "schema.snapshot.update";
    /** {@code -Dschema.baseline.ref=<git ref>} picks the baseline of the breaking-change check. */
    static final String BASELINE_REF_PROPERTY = "schema.baseline.ref";

    /**
     * Applied directives that are part of the contract and so are printed: deprecations tell clients
     * what goes away, {@code @oneOf} and {@code @specifiedBy} change what a client may send or expect.
     * Directive definitions are never printed: the built-in ones change with graphql-java versions.
     */
    private static final Set<String> PRINTED_DIRECTIVES = Set.of("deprecated", "oneOf", "specifiedBy");

    private static final SchemaPrinter PRINTER = new SchemaPrinter(SchemaPrinter.Options.defaultOptions()
            .includeScalarTypes(true)
            .includeSchemaDefinition(true)
            .includeIntrospectionTypes(false)
            .includeDirectiveDefinitions(false)
            .includeDirectives(PRINTED_DIRECTIVES::contains)
            .descriptionsAsHashComments(false)
            .useAstDefinitions(false)
            // Types, fields, arguments and enum values by name: the order of the .graphqls files
            // on the classpath (or of fields within them) never changes the snapshot.
            .setComparators(GraphqlTypeComparatorRegistry.BY_NAME_REGISTRY));

    private ContractSchema() {
    }

    /** The schema as SDL, normalised to LF line endings with exactly one final newline. */
    static String print(GraphQLSchema schema) {
        return normalize(PRINTER.print(schema));
    }

    static String normalize(String sdl) {
        String text = sdl.replace("\r\n", "\n").replace('\r', '\n');
        return text.stripTrailing() + "\n";
    }

    /**
     * The repository root: the first directory, walking up from the working directory (the module
     * directory under Maven, the project directory in an IDE), that has {@code pom.xml} and
     * {@code schema/pom.xml}. (The snapshot itself cannot be the marker: it may not exist yet.)
     */
    static Path repositoryRoot() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isRegularFile(dir.resolve("schema/pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("No repository root (a directory with pom.xml and schema/pom.xml) above " + start);
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A line diff of two texts ({@code -} only in {@code expected}, {@code +} only in {@code actual}),
     * with two lines of context around each change, at most {@code maxLines} lines.
     */
    static String lineDiff(String expected, String actual, int maxLines) {
        String[] a = expected.split("\n", -1);
        String[] b = actual.split("\n", -1);
        // Longest common subsequence table; a schema has a few thousand lines at most.
        int[][] lcs = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        record Line(char mark, int lineNo, String text) {
        }
        List<Line> lines = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i].equals(b[j])) {
                lines.add(new Line(' ', j + 1, a[i]));
                i++;
                j++;
            } else if (i < a.length && (j == b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
                lines.add(new Line('-', i + 1, a[i]));
                i++;
            } else {
                lines.add(new Line('+', j + 1, b[j]));
                j++;
            }
        }
        boolean[] shown = new boolean[lines.size()];
        for (int k = 0; k < lines.size(); k++) {
            if (lines.get(k).mark() != ' ') {
                for (int c = Math.max(0, k - 2); c <= Math.min(lines.size() - 1, k + 2); c++) {
                    shown[c] = true;
                }
            }
        }
        StringBuilder out = new StringBuilder();
        int printed = 0;
        boolean gap = false;
        for (int k = 0; k < lines.size(); k++) {
            if (!shown[k]) {
                gap = true;
                continue;
            }
            if (printed >= maxLines) {
                out.append("  ... (more differences)\n");
                break;
            }
            if (gap && printed > 0) {
                out.append("  ...\n");
            }
            gap = false;
            Line line = lines.get(k);
            out.append(line.mark()).append(String.format(" %4d | ", line.lineNo())).append(line.text()).append('\n');
            printed++;
        }
        return out.toString();
    }
}
