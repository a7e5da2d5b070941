package io.nomadstays.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code nomad.demo.*} settings.
 *
 * @param seedOnStartup  write the hand-written demo data when the application starts (skips what exists)
 * @param generatorSeed  the seed of the synthetic units; keep it the same to resume or extend a run
 * @param batchSize      synthetic units per transaction
 * @param operatorCount  synthetic operators ({@code synthetic-1..N}) that own the synthetic units
 */
@ConfigurationProperties(prefix = "nomad.demo")
public record DemoProperties(
        @DefaultValue("false") boolean seedOnStartup,
        @DefaultValue("42") long generatorSeed,
        @DefaultValue("2000") int batchSize,
        @DefaultValue("20") int operatorCount,
        @DefaultValue("false") boolean fakePayoutAccounts) {

    UnitGenerator.Settings generatorSettings() {
        return new UnitGenerator.Settings(generatorSeed, batchSize, operatorCount, true);
    }
}
