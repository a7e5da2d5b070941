package io.nomadstays.contract;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The baseline of the breaking-change check: the snapshot as it stands on main before this change,
 * read with {@code git show <ref>:schema/schema.snapshot.graphqls}. The ref is
 * <ol>
 * <li>{@code -Dschema.baseline.ref=<ref>} when set (CI can pass {@code origin/main} or a release tag);</li>
 * <li>else, on a branch other than main (or a detached HEAD), {@code git merge-base HEAD main}, or
 * {@code origin/main} when there is no local main;</li>
 * <li>else, on main, {@code HEAD}: the last commit, so uncommitted schema edits are checked.</li>
 * </ol>
 * There is no baseline (and the check is skipped with that reason) when git or {@code .git} is
 * missing, the repository has no commit yet, or the snapshot does not exist at the ref.
 */
final class SchemaBaseline {

    sealed interface Outcome permits Found, Missing {
    }

    /** The baseline SDL, and a description of where it came from for messages. */
    record Found(String sdl, String description) implements Outcome {
    }

    /** No baseline, and why. */
    record Missing(String reason) implements Outcome {
    }

    private record Run(int exitCode, String out, String err) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private final Path root;

    SchemaBaseline(Path root) {
        this.root = root;
    }

    Outcome resolve(String explicitRef) {
        if (!Files.exists(root.resolve(".git"))) {
            return new Missing("there is no git repository at " + root + " (no .git)");
        }
        Run version;
        try {
            version = git("--version");
        } catch (UncheckedIOException e) {
            return new Missing("git is not available: " + e.getCause().getMessage());
        }
        if (!version.ok()) {
            return new Missing("git is not available: " + version.err());
        }
        if (!git("rev-parse", "--verify", "--quiet", "HEAD^{commit}").ok()) {
            return new Missing("the repository has no commit yet, so there is no snapshot on main to compare with");
        }

        String ref;
        String description;
        String note = "";
        if (explicitRef != null && !explicitRef.isBlank()) {
            Run resolved = git("rev-parse", "--verify", "--quiet", explicitRef + "^{commit}");
            if (!resolved.ok()) {
                throw new IllegalStateException("-D" + ContractSchema.BASELINE_REF_PROPERTY + "=" + explicitRef
                        + " does not name a commit in " + root);
            }
            ref = resolved.out();
            description = explicitRef + " (" + abbreviate(ref) + ", from -D" + ContractSchema.BASELINE_REF_PROPERTY + ")";
        } else {
            Run branch = git("symbolic-ref", "--quiet", "--short", "HEAD");
            String current = branch.ok() ? branch.out() : null; // null: detached HEAD, as on many CI checkouts
            if ("main".equals(current)) {
                ref = git("rev-parse", "HEAD").out();
                description = "HEAD of main (" + abbreviate(ref) + ")";
                note = ", so uncommitted schema changes are checked";
            } else {
                String mainRef = null;
                for (String candidate : List.of("main", "origin/main")) {
                    if (git("rev-parse", "--verify", "--quiet", candidate + "^{commit}").ok()) {
                        mainRef = candidate;
                        break;
                    }
                }
                if (mainRef == null) {
                    return new Missing("HEAD is " + (current == null ? "detached" : "on branch '" + current + "'")
                            + " and there is no 'main' or 'origin/main' to find the baseline; pass -D"
                            + ContractSchema.BASELINE_REF_PROPERTY + "=<ref>");
                }
                Run base = git("merge-base", "HEAD", mainRef);
                if (!base.ok()) {
                    return new Missing("HEAD has no common ancestor with " + mainRef + ": " + base.err());
                }
                ref = base.out();
                description = "the merge base of HEAD and " + mainRef + " (" + abbreviate(ref) + ")";
            }
        }

        Run show = git("show", ref + ":" + ContractSchema.SNAPSHOT);
        if (!show.ok()) {
            return new Missing(ContractSchema.SNAPSHOT + " is not committed at " + description
                    + " yet, so there is nothing to be compatible with");
        }
        return new Found(show.out(), ContractSchema.SNAPSHOT + " at " + description + note);
    }

    private static String abbreviate(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }

    private Run git(String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", root.toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).start();
            process.getOutputStream().close();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            String out = readAll(process.getInputStream());
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("git " + String.join(" ", args) + " did not finish in 30 s");
            }
            return new Run(process.exitValue(), args[0].equals("show") ? out : out.strip(), err.join().strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            in.transferTo(buffer);
            return buffer.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
