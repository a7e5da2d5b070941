package io.nomadstays.demo;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Where the demo jobs write: a PostgreSQL JDBC url with its credentials. The application itself
 * talks R2DBC; these bulk jobs use plain JDBC because COPY and one transaction per batch are
 * simpler and much faster there.
 */
public record JdbcTarget(String url, String user, String password) {

    public JdbcTarget {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("Not a PostgreSQL JDBC url: " + url);
        }
    }

    public DataSource dataSource() {
        // The driver's own DataSource rather than DriverManager: inside the Spring Boot fat jar the
        // DriverManager may not see drivers loaded by the application's class loader.
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url);
        if (user != null) {
            dataSource.setUser(user);
        }
        if (password != null) {
            dataSource.setPassword(password);
        }
        return dataSource;
    }

    public Connection connect() throws SQLException {
        return dataSource().getConnection();
    }

    @Override
    public String toString() {
        return "JdbcTarget[url=" + url + ", user=" + user + "]";
    }
}
