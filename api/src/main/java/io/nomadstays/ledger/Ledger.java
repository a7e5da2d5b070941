package io.nomadstays.ledger;

import io.nomadstays.shared.Ids;
import io.nomadstays.shared.Money;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Appends to and reads {@code ledger_entry}. There is no update or delete: PostgreSQL refuses both. */
@Component
public class Ledger {

    private static final String COLUMNS = "id, operator_id, booking_id, kind, amount, currency, stripe_object_id, occurred_at, recorded_at, note";
    private static final String[] EARNING_KINDS = Arrays.stream(LedgerEntry.Kind.values())
            .filter(LedgerEntry.Kind::earning).map(Enum::name).toArray(String[]::new);

    private final DatabaseClient db;

    Ledger(DatabaseClient db) {
        this.db = db;
    }

    /**
     * Records a movement; a second append of the same Stripe object and kind (a webhook delivered
     * twice) records nothing and answers false. Call it inside the transaction of the change it explains.
     */
    public Mono<Boolean> append(UUID operatorId, UUID bookingId, LedgerEntry.Kind kind, Money money, String stripeObjectId,
                                Instant occurredAt, String note) {
        return db.sql("""
                        INSERT INTO ledger_entry (id, operator_id, booking_id, kind, amount, currency, stripe_object_id, occurred_at, note)
                        VALUES (:id, :op, :booking, :kind, :amount, :currency, :object, :at, :note)
                        ON CONFLICT (stripe_object_id, kind) DO NOTHING""")
                .bind("id", Ids.newId()).bind("op", operatorId).bind("booking", Parameter.fromOrEmpty(bookingId, UUID.class))
                .bind("kind", kind.name()).bind("amount", money.amount()).bind("currency", money.currency())
                .bind("object", Parameter.fromOrEmpty(stripeObjectId, String.class)).bind("at", occurredAt)
                .bind("note", Parameter.fromOrEmpty(note, String.class))
                .fetch().rowsUpdated().map(n -> n > 0);
    }

    /** Entries of these bookings, oldest first, by booking. */
    Mono<Map<UUID, List<LedgerEntry>>> forBookings(Collection<UUID> bookingIds) {
        return db.sql("SELECT " + COLUMNS + " FROM ledger_entry WHERE booking_id = ANY(:ids) ORDER BY occurred_at, id")
                .bind("ids", bookingIds.toArray(UUID[]::new))
                .map(Ledger::map).all()
                .collect(Collectors.groupingBy(LedgerEntry::bookingId));
    }

    /** What the operator earned in [from, to), per currency (never converted), by currency code. */
    Mono<List<Money>> balance(UUID operatorId, Instant from, Instant to) {
        return db.sql("""
                        SELECT currency, sum(amount)::bigint AS total FROM ledger_entry
                         WHERE operator_id = :op AND occurred_at >= :from AND occurred_at < :to AND kind = ANY(:kinds)
                         GROUP BY currency ORDER BY currency""")
                .bind("op", operatorId).bind("from", from).bind("to", to).bind("kinds", EARNING_KINDS)
                .map(row -> Money.of(row.get("total", Long.class), row.get("currency", String.class).trim()))
                .all().collectList();
    }

    private static LedgerEntry map(Readable row) {
        return new LedgerEntry(row.get("id", UUID.class), row.get("operator_id", UUID.class), row.get("booking_id", UUID.class),
                LedgerEntry.Kind.valueOf(row.get("kind", String.class)), row.get("amount", Long.class),
                row.get("currency", String.class).trim(), row.get("stripe_object_id", String.class), row.get("occurred_at", Instant.class),
                row.get("recorded_at", Instant.class), row.get("note", String.class));
    }
}
