package io.nomadstays.contract;

import graphql.language.TypeKind;
import graphql.schema.diff.DiffCategory;
import graphql.schema.diff.DiffEvent;
import graphql.schema.diff.DiffLevel;
import graphql.schema.diff.SchemaDiff;
import graphql.schema.diff.SchemaDiffSet;
import graphql.schema.diff.reporting.CapturingReporter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The breaking-change check: graphql-java's {@link SchemaDiff} between a baseline SDL and the
 * current SDL, where every BREAKING or DANGEROUS change must be listed in
 * {@code schema/intended-changes.txt}. Used by {@code SchemaCompatibilityTests} (served schema
 * against the snapshot on main) and {@code SchemaDiffCheckTests} (the logic itself).
 *
 * <h2>intended-changes.txt</h2>
 * One change per line; blank lines and lines starting with {@code #} are ignored:
 * <pre>
 * LEVEL PATH [KIND]: why, date
 * BREAKING Query.foo removed: replaced by Query.bar, agreed with web and mobile, 2026-12-01
 * DANGEROUS UserErrorCode.PAYMENT_DECLINED added: new code for payments, 2026-12-01
 * BREAKING Operator.units.status changed: [UnitStatus!] became UnitStatus!, 2026-12-01
 * </pre>
 * <ul>
 * <li>LEVEL is {@code BREAKING} or {@code DANGEROUS} and must equal the change's level.</li>
 * <li>PATH is {@code Type}, {@code Type.member} or {@code Type.field.argument}; a member is a field,
 * an input field, an enum value, a union member or an implemented interface. It matches a change at
 * that path or below it: {@code Query.foo} also covers the arguments of {@code Query.foo}, and
 * {@code Query} covers every change in {@code Query}.</li>
 * <li>KIND, optional, narrows the change's category: {@code removed} (MISSING, DEPRECATION_REMOVED),
 * {@code changed} (INVALID, DIFFERENT), {@code stricter} (STRICTER), {@code added} (ADDITION),
 * {@code deprecated} (DEPRECATION_ADDED), or a {@link DiffCategory} name.</li>
 * <li>After the colon: why, and when (a date); required, so the file doubles as a changelog.</li>
 * </ul>
 * The failure message of the check prints the exact line to add for each unlisted change.
 */
final class SchemaCompatibility {

    private static final Pattern ENTRY = Pattern.compile(
            "^(BREAKING|DANGEROUS)\\s+([_A-Za-z][_0-9A-Za-z]*(?:\\.[_A-Za-z][_0-9A-Za-z]*){0,2})(?:\\s+([A-Za-z_]+))?\\s*:\\s*(\\S.*)$");

    private static final Map<String, Set<DiffCategory>> KINDS = Map.of(
            "removed", EnumSet.of(DiffCategory.MISSING, DiffCategory.DEPRECATION_REMOVED),
            "changed", EnumSet.of(DiffCategory.INVALID, DiffCategory.DIFFERENT),
            "stricter", EnumSet.of(DiffCategory.STRICTER),
            "added", EnumSet.of(DiffCategory.ADDITION),
            "deprecated", EnumSet.of(DiffCategory.DEPRECATION_ADDED));

    /** Argument names in graphql-java's messages: "argument 'x' on field", "field argument 'T.f.x'", "argument named 'x'". */
    private static final Pattern ARGUMENT = Pattern.compile("argument(?: named)? '([^']+)'");

    private SchemaCompatibility() {
    }

    /** One line of intended-changes.txt. */
    record IntendedChange(DiffLevel level, String path, String kind, Set<DiffCategory> categories, String why, int lineNo) {

        boolean matches(DiffEvent event) {
            if (event.getLevel() != level) {
                return false;
            }
            if (categories != null && !categories.contains(event.getCategory())) {
                return false;
            }
            String eventPath = pathOf(event);
            return eventPath.equals(path) || eventPath.startsWith(path + ".");
        }

        @Override
        public String toString() {
            return "line " + lineNo + ": " + level + " " + path + (kind == null ? "" : " " + kind) + ": " + why;
        }
    }

    /** Parses intended-changes.txt; a malformed line is an error naming the line, never silently ignored. */
    static List<IntendedChange> parseIntendedChanges(String text) {
        List<IntendedChange> entries = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = ENTRY.matcher(line);
            if (!m.matches()) {
                problems.add("line " + (n + 1) + ": '" + line + "' is not 'BREAKING|DANGEROUS Type[.member[.argument]] [kind]: why, date'");
                continue;
            }
            String kind = m.group(3);
            Set<DiffCategory> categories = null;
            if (kind != null) {
                categories = categoriesOf(kind);
                if (categories == null) {
                    problems.add("line " + (n + 1) + ": unknown kind '" + kind + "', use one of " + new java.util.TreeSet<>(KINDS.keySet())
                            + " or a DiffCategory " + List.of(DiffCategory.values()));
                    continue;
                }
            }
            entries.add(new IntendedChange(DiffLevel.valueOf(m.group(1)), m.group(2), kind, categories, m.group(4), n + 1));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Malformed " + ContractSchema.INTENDED_CHANGES + ":\n  " + String.join("\n  ", problems));
        }
        return List.copyOf(entries);
    }

    private static Set<DiffCategory> categoriesOf(String kind) {
        Set<DiffCategory> named = KINDS.get(kind.toLowerCase(Locale.ROOT));
        if (named != null) {
            return named;
        }
        for (DiffCategory category : DiffCategory.values()) {
            if (category.name().equalsIgnoreCase(kind)) {
                return EnumSet.of(category);
            }
        }
        return null;
    }

    /**
     * The outcome: {@code violations} are the BREAKING and DANGEROUS changes no entry allows,
     * {@code allowed} those an entry allows, {@code unused} entries that matched nothing (stale
     * once the change is on main: delete them then).
     */
    record Result(List<DiffEvent> violations, List<DiffEvent> allowed, List<IntendedChange> unused, List<DiffEvent> additions) {

        boolean ok() {
            return violations.isEmpty();
        }

        String report(String baselineName) {
            StringBuilder out = new StringBuilder();
            if (!violations.isEmpty()) {
                out.append(violations.size()).append(" unannounced breaking or dangerous change(s) to the GraphQL schema against ")
                        .append(baselineName).append(":\n");
                violations.forEach(e -> out.append("  ").append(describe(e)).append('\n'));
                out.append("""

                        Frontend teams were promised that operations only grow and never break (docs/schema-contract.md).
                        Prefer an additive change: add the new field or argument, deprecate the old one with
                        @deprecated(reason: "...") and remove it later. If the change is intended and agreed with the
                        frontend teams, record it in\s""").append(ContractSchema.INTENDED_CHANGES).append(" with a line per change:\n");
                new LinkedHashSet<>(violations.stream().map(SchemaCompatibility::suggestedEntry).toList())
                        .forEach(line -> out.append("  ").append(line).append('\n'));
            }
            if (!allowed.isEmpty()) {
                out.append("Allowed by ").append(ContractSchema.INTENDED_CHANGES).append(":\n");
                allowed.forEach(e -> out.append("  ").append(describe(e)).append('\n'));
            }
            if (!unused.isEmpty()) {
                out.append("Entries of ").append(ContractSchema.INTENDED_CHANGES)
                        .append(" that match no change (delete them once the change is on main):\n");
                unused.forEach(e -> out.append("  ").append(e).append('\n'));
            }
            return out.toString();
        }
    }

    /** Compares two schemas given as SDL. */
    static Result check(String baselineSdl, String currentSdl, List<IntendedChange> intended) {
        CapturingReporter reporter = new CapturingReporter();
        new SchemaDiff().diffSchema(SchemaDiffSet.diffSetFromSdl(baselineSdl, currentSdl), reporter);
        List<DiffEvent> violations = new ArrayList<>();
        List<DiffEvent> allowed = new ArrayList<>();
        Set<IntendedChange> used = new LinkedHashSet<>();
        List<DiffEvent> significant = new ArrayList<>(reporter.getBreakages());
        significant.addAll(reporter.getDangers());
        for (DiffEvent event : significant) {
            List<IntendedChange> matching = intended.stream().filter(entry -> entry.matches(event)).toList();
            if (matching.isEmpty()) {
                violations.add(event);
            } else {
                allowed.add(event);
                used.addAll(matching);
            }
        }
        List<IntendedChange> unused = intended.stream().filter(entry -> !used.contains(entry)).toList();
        List<DiffEvent> additions = reporter.getInfos().stream().filter(e -> e.getCategory() == DiffCategory.ADDITION).toList();
        return new Result(List.copyOf(violations), List.copyOf(allowed), unused, additions);
    }

    /**
     * Where a change is: {@code Type}, {@code Type.member} or {@code Type.field.argument}, from the
     * event's type name, field name, components and (for arguments) its message.
     */
    static String pathOf(DiffEvent event) {
        StringBuilder path = new StringBuilder(String.valueOf(event.getTypeName()));
        if (event.getTypeKind() == TypeKind.Operation) {
            return path.toString();
        }
        if (event.getFieldName() != null) {
            path.append('.').append(event.getFieldName());
            Matcher arg = ARGUMENT.matcher(String.valueOf(event.getReasonMsg()));
            if (arg.find()) {
                String name = arg.group(1);
                path.append('.').append(name.substring(name.lastIndexOf('.') + 1));
            }
        } else if (!event.getComponents().isEmpty() && event.getCategory() != DiffCategory.INVALID) {
            // An enum value, a union member or an interface of the type.
            path.append('.').append(event.getComponents().get(0));
        }
        return path.toString();
    }

    static String describe(DiffEvent event) {
        return event.getLevel() + " " + event.getCategory() + " " + pathOf(event) + ": " + event.getReasonMsg();
    }

    /** The line of intended-changes.txt that would allow this change. */
    static String suggestedEntry(DiffEvent event) {
        String kind = event.getCategory() == null ? "" : switch (event.getCategory()) {
            case MISSING, DEPRECATION_REMOVED -> " removed";
            case INVALID, DIFFERENT -> " changed";
            case STRICTER -> " stricter";
            case ADDITION -> " added";
            case DEPRECATION_ADDED -> " deprecated";
        };
        return event.getLevel() + " " + pathOf(event) + kind + ": <why, who agreed>, " + java.time.LocalDate.now();
    }
}
