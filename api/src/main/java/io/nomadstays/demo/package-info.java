/**
 * Demo data: the nine hand-written operators of the product brief ({@link io.nomadstays.demo.DemoSeeder})
 * and any number of synthetic units across 68 cities ({@link io.nomadstays.demo.UnitGenerator}), both
 * written over plain JDBC with deterministic ids, so that running them again adds only what is missing.
 *
 * <h2>Usage</h2>
 * The jobs run inside the application, after Flyway has migrated, and connect with
 * {@code spring.flyway.url}, {@code spring.flyway.user} and {@code spring.flyway.password}
 * (whatever else the application needs to start must be configured as usual).
 * <pre>
 * # the nine demo operators, their staff, nomads and admin, then stop
 * java -jar api/target/nomad-api.jar --seed-demo --exit-after-command
 *
 * # 100,000 synthetic published units (resumable; a later --generate-units=150000 adds 50,000 more), then stop
 * java -jar api/target/nomad-api.jar --generate-units=100000 --exit-after-command
 *
 * # both, against an explicit database
 * java -jar api/target/nomad-api.jar --seed-demo --generate-units=100000 --exit-after-command \
 *     --spring.flyway.url=jdbc:postgresql://localhost:5432/nomad --spring.flyway.user=nomad \
 *     --spring.flyway.password=secret
 *
 * # seed at every start (a no-op once seeded), and keep serving
 * java -jar api/target/nomad-api.jar --nomad.demo.seed-on-startup=true
 * </pre>
 * Without {@code --exit-after-command} the application keeps running after the job. Settings
 * ({@link io.nomadstays.demo.DemoProperties}): {@code nomad.demo.seed-on-startup} (false),
 * {@code nomad.demo.generator-seed} (42; keep it to resume or extend a run),
 * {@code nomad.demo.batch-size} (2000 units per transaction), {@code nomad.demo.operator-count}
 * (20 synthetic operators, slugs {@code synthetic-1..20}).
 *
 * <h2>Logins</h2>
 * Users have subjects {@code demo:nina} (nomad), {@code demo:leo} (nomad), {@code demo:admin}
 * (platform admin) and {@code demo:<slug>-owner}, {@code -manager}, {@code -viewer} per operator.
 */
package io.nomadstays.demo;
