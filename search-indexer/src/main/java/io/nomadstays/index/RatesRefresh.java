package io.nomadstays.index;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Loads a rates file into the {@code exchange_rate} table and re-enqueues, in the same transaction,
 * every published unit priced in a currency whose rate changed (an {@code ExchangeRateChanged}
 * outbox event per unit), so their {@code *_usd} fields follow.
 *
 * <p>The file format is the shipped {@code rates/exchange-rates.csv}: {@code #} comments, an
 * {@code as_of,YYYY-MM-DD} line dating the whole file, a {@code currency,usd_per_unit} header, then
 * one {@code CODE,rate} line per currency (US dollars for one major unit).
 */
public final class RatesRefresh {

    private static final Pattern CODE = Pattern.compile("[A-Z]{3}");

    private RatesRefresh() {
    }

    /** A parsed rates file. */
    public record RatesFile(LocalDate asOf, Map<String, BigDecimal> usdPerUnit) {

        public static RatesFile parse(Reader reader, String name) throws IOException {
            LocalDate asOf = null;
            Map<String, BigDecimal> rates = new LinkedHashMap<>();
            BufferedReader lines = new BufferedReader(reader);
            String line;
            int number = 0;
            while ((line = lines.readLine()) != null) {
                number++;
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#") || line.equals("currency,usd_per_unit")) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (cells.length != 2) {
                    throw new IllegalArgumentException(name + ":" + number + ": expected two comma-separated cells: " + line);
                }
                String key = cells[0].strip();
                String value = cells[1].strip();
                try {
                    if (key.equals("as_of")) {
                        asOf = LocalDate.parse(value);
                    } else if (CODE.matcher(key).matches()) {
                        BigDecimal rate = new BigDecimal(value);
                        if (rate.signum() <= 0) {
                            throw new IllegalArgumentException(name + ":" + number + ": rate must be positive: " + line);
                        }
                        if (rates.put(key, rate) != null) {
                            throw new IllegalArgumentException(name + ":" + number + ": " + key + " appears twice");
                        }
                    } else {
                        throw new IllegalArgumentException(name + ":" + number + ": not a currency code: " + key);
                    }
                } catch (NumberFormatException | DateTimeParseException e) {
                    throw new IllegalArgumentException(name + ":" + number + ": " + e.getMessage() + ": " + line, e);
                }
            }
            if (asOf == null) {
                throw new IllegalArgumentException(name + ": no as_of line");
            }
            if (rates.isEmpty()) {
                throw new IllegalArgumentException(name + ": no rates");
            }
            return new RatesFile(asOf, Map.copyOf(rates));
        }
    }

    /**
     * @param loaded       rates written (new or re-dated)
     * @param changed      currencies whose rate is new or different
     * @param olderSkipped currencies left alone because the table holds a newer-dated rate
     * @param unitsEnqueued published units re-enqueued for indexing
     */
    public record Result(LocalDate asOf, int loaded, Set<String> changed, Set<String> olderSkipped, long unitsEnqueued) {

        @Override
        public String toString() {
            return "Exchange rates as of " + asOf + ": " + loaded + " currencies loaded, " + changed.size() + " changed"
                    + few(changed) + (olderSkipped.isEmpty() ? "" : ", " + olderSkipped.size() + " skipped as the table has newer rates"
                    + few(olderSkipped)) + ", " + unitsEnqueued + " units re-enqueued for indexing";
        }

        private static String few(Set<String> currencies) {
            return currencies.isEmpty() || currencies.size() > 12 ? "" : " " + currencies;
        }
    }

    /**
     * Writes the file's rates (one transaction). A currency whose stored rate is dated after the
     * file is left alone, so an old file cannot undo a newer refresh.
     */
    public static Result refresh(DataSource dataSource, RatesFile file) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Result result = refresh(c, file);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Loads the file only when the table is empty (first start); returns null when it was not. */
    public static Result loadIfEmpty(DataSource dataSource, RatesFile file) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                lock(c);
                Result result = null;
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM exchange_rate)")) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        result = refresh(c, file);
                    }
                }
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Runs inside the caller's transaction. */
    static Result refresh(Connection c, RatesFile file) throws SQLException {
        lock(c);
        Set<String> known = new HashSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT code FROM currency")) {
            while (rs.next()) {
                known.add(rs.getString(1).strip());
            }
        }
        Set<String> unknown = new TreeSet<>(file.usdPerUnit().keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Unknown currencies (not in table currency): " + unknown);
        }

        record Stored(BigDecimal rate, LocalDate asOf) {
        }
        Map<String, Stored> stored = new HashMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT currency, usd_per_unit, as_of FROM exchange_rate FOR UPDATE")) {
            while (rs.next()) {
                stored.put(rs.getString(1).strip(), new Stored(rs.getBigDecimal(2), rs.getObject(3, LocalDate.class)));
            }
        }

        Set<String> changed = new TreeSet<>();
        Set<String> skipped = new TreeSet<>();
        List<String> write = new ArrayList<>();
        file.usdPerUnit().forEach((currency, rate) -> {
            Stored old = stored.get(currency);
            if (old != null && old.asOf().isAfter(file.asOf())) {
                skipped.add(currency);
                return;
            }
            write.add(currency);
            if (old == null || old.rate().compareTo(rate) != 0) {
                changed.add(currency);
            }
        });

        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO exchange_rate (currency, usd_per_unit, as_of, updated_at) VALUES (?, ?, ?, now())
                ON CONFLICT (currency) DO UPDATE
                   SET usd_per_unit = EXCLUDED.usd_per_unit, as_of = EXCLUDED.as_of, updated_at = now()""")) {
            for (String currency : write) {
                ps.setString(1, currency);
                ps.setBigDecimal(2, file.usdPerUnit().get(currency));
                ps.setDate(3, Date.valueOf(file.asOf()));
                ps.addBatch();
            }
            ps.executeBatch();
        }

        long enqueued = 0;
        if (!changed.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO outbox_event (operator_id, aggregate_type, aggregate_id, event_type, payload)
                    SELECT p.operator_id, 'unit', p.unit_id, 'ExchangeRateChanged', jsonb_build_object('currency', p.currency)
                      FROM unit_pricing p JOIN unit u ON u.id = p.unit_id
                     WHERE u.status = 'PUBLISHED' AND p.currency::text = ANY(?)""")) {
                ps.setArray(1, c.createArrayOf("text", changed.toArray()));
                enqueued = ps.executeLargeUpdate();
            }
        }
        return new Result(file.asOf(), write.size(), changed, skipped, enqueued);
    }

    /** Serialises concurrent refreshes (two api instances starting on an empty table, say). */
    private static void lock(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(hashtext('nomad-search:exchange-rates'))");
        }
    }
}
