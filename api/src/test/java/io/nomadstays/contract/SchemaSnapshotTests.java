package io.nomadstays.contract;

import static org.assertj.core.api.Assertions.fail;

import io.nomadstays.support.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.execution.GraphQlSource;

/**
 * The schema the application actually serves (all .graphqls files merged, with the runtime
 * wiring's scalars) printed and compared with the committed snapshot
 * {@code schema/schema.snapshot.graphqls}, so every schema change shows up in review as a diff of
 * that one file. {@code -Dschema.snapshot.update=true} rewrites the snapshot.
 */
class SchemaSnapshotTests extends IntegrationTest {

    @Autowired
    GraphQlSource graphQlSource;

    @Test
    void theServedSchemaMatchesTheCommittedSnapshot() {
        String served = ContractSchema.print(graphQlSource.schema());
        Path snapshot = ContractSchema.repositoryRoot().resolve(ContractSchema.SNAPSHOT);

        if (Boolean.getBoolean(ContractSchema.UPDATE_PROPERTY)) {
            if (!Files.exists(snapshot) || !ContractSchema.normalize(ContractSchema.read(snapshot)).equals(served)) {
                ContractSchema.write(snapshot, served);
                System.out.println("[schema] Rewrote " + snapshot + ": review and commit it with the schema change.");
            }
            return;
        }
        String howToUpdate = """
                If the change is intended, rewrite the snapshot and commit it with the change:
                  ./mvnw -B -pl api -am test -Dtest='io.nomadstays.contract.SchemaSnapshotTests' \
                -Dsurefire.failIfNoSpecifiedTests=false -D%s=true
                SchemaCompatibilityTests then tells whether the change breaks clients (docs/schema-contract.md).
                """.formatted(ContractSchema.UPDATE_PROPERTY);
        if (!Files.exists(snapshot)) {
            fail("There is no schema snapshot at " + snapshot + ".\n" + howToUpdate);
        }
        String committed = ContractSchema.normalize(ContractSchema.read(snapshot));
        if (!committed.equals(served)) {
            fail("The served GraphQL schema differs from " + ContractSchema.SNAPSHOT
                    + " ('-' snapshot, '+' served; line numbers of each side):\n"
                    + ContractSchema.lineDiff(committed, served, 80) + "\n" + howToUpdate);
        }
    }
}
