package io.nomadstays.demo;

import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Runs the demo jobs when the application is started with {@code --seed-demo} or
 * {@code --generate-units=N}, or with {@code nomad.demo.seed-on-startup=true}; does nothing
 * otherwise. Usage is documented in {@code package-info.java}.
 *
 * <p>Runners run after Flyway has migrated, so the jobs connect with Flyway's own JDBC settings
 * ({@code spring.flyway.url}, {@code .user}, {@code .password}): the application's R2DBC pool is
 * not suited to bulk writes.
 */
@Component
class DemoRunner implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoRunner.class);

    private final DemoProperties properties;
    private final Environment environment;
    private final ApplicationContext context;

    DemoRunner(DemoProperties properties, Environment environment, ApplicationContext context) {
        this.properties = properties;
        this.environment = environment;
        this.context = context;
    }

    @Override
    public void run(ApplicationArguments args) throws SQLException {
        boolean seedCommand = args.containsOption("seed-demo");
        Integer units = unitsToGenerate(args);
        boolean command = seedCommand || units != null;
        if (!command && !properties.seedOnStartup()) {
            return;
        }

        JdbcTarget target = jdbcTarget();
        if (seedCommand || properties.seedOnStartup()) {
            DemoSeeder.Report report = new DemoSeeder(target).seed();
            log.info("Demo seed: {} operators created, {} already present; {} properties, {} units ({} published)",
                    report.operatorsCreated(), report.operatorsSkipped(), report.properties(), report.units(),
                    report.publishedUnits());
        }
        if (properties.fakePayoutAccounts()) {
            fakePayoutAccounts(target);
        }
        if (units != null) {
            UnitGenerator.Report report = new UnitGenerator(target, properties.generatorSettings()).generate(units);
            // Printed rather than logged: it is the answer to the command the user typed.
            System.out.printf("Synthetic units: %d requested, %d inserted, %d already present, %.1f s, %.0f units/s%n",
                    report.requestedUnits(), report.insertedUnits(), report.alreadyPresent(),
                    report.elapsed().toMillis() / 1000.0, report.insertedPerSecond());
        }
        if (command && args.containsOption("exit-after-command")) {
            System.exit(SpringApplication.exit(context, () -> 0));
        }
    }

    /**
     * With the local Stripe fake (infra/bin/demo.sh sets {@code nomad.demo.fake-payout-accounts}),
     * every operator gets an onboarded account {@code acct_demo<id>} that the fake knows, so demo
     * bookings are destination charges with the commission and payouts run as in production. Never
     * with a real key: Stripe would refuse accounts it did not make.
     */
    private static void fakePayoutAccounts(JdbcTarget target) throws SQLException {
        try (var connection = target.connect(); var statement = connection.createStatement()) {
            int added = statement.executeUpdate("""
                    INSERT INTO payout_account (operator_id, stripe_account_id, charges_enabled, payouts_enabled, details_submitted)
                    SELECT id, 'acct_demo' || replace(id::text, '-', ''), true, true, true FROM operator
                    ON CONFLICT (operator_id) DO NOTHING""");
            log.info("Demo: {} operators given a Stripe account of the local fake", added);
        }
    }

    private static Integer unitsToGenerate(ApplicationArguments args) {
        if (!args.containsOption("generate-units")) {
            return null;
        }
        List<String> values = args.getOptionValues("generate-units");
        if (values.size() != 1) {
            throw new IllegalArgumentException("Use --generate-units=N with one number N");
        }
        int units = Integer.parseInt(values.get(0).replace("_", ""));
        if (units < 0) {
            throw new IllegalArgumentException("--generate-units must not be negative: " + units);
        }
        return units;
    }

    private JdbcTarget jdbcTarget() {
        String url = environment.getProperty("spring.flyway.url");
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("The demo jobs need spring.flyway.url (with spring.flyway.user and "
                    + "spring.flyway.password) to reach PostgreSQL over JDBC");
        }
        return new JdbcTarget(url, environment.getProperty("spring.flyway.user"),
                environment.getProperty("spring.flyway.password"));
    }
}
