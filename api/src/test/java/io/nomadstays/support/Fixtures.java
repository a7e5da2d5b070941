package io.nomadstays.support;

import io.nomadstays.graphql.GlobalId;
import io.nomadstays.shared.Ids;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Test data written straight to PostgreSQL, for the state a test starts from. What a test
 * exercises goes through the GraphQL API instead.
 */
public final class Fixtures {

    private final DatabaseClient db;

    Fixtures(DatabaseClient db) {
        this.db = db;
    }

    public record Ref(UUID uuid, String id) {
    }

    public Ref user(String subject) {
        return user(subject, false);
    }

    public Ref admin(String subject) {
        return user(subject, true);
    }

    private Ref user(String subject, boolean admin) {
        UUID id = Ids.newId();
        db.sql("INSERT INTO app_user (id, subject, display_name, platform_admin) VALUES (:id, :subject, :subject, :admin)")
                .bind("id", id).bind("subject", subject).bind("admin", admin).then().block();
        return new Ref(id, GlobalId.encode(GlobalId.Type.USER, id));
    }

    /**
     * An operator that can take payments: a Stripe account with charges enabled, so its units can be
     * booked (createBooking refuses units of operators that cannot, nomad.payments.require-charges-enabled).
     */
    public Ref operator(String slug) {
        return operator(slug, true);
    }

    /** An operator, with a charges-enabled Stripe account or ({@code payable} false) none at all. */
    public Ref operator(String slug, boolean payable) {
        UUID id = Ids.newId();
        db.sql("INSERT INTO operator (id, slug, name, default_currency) VALUES (:id, :slug, :slug, 'USD')")
                .bind("id", id).bind("slug", slug).then().block();
        Ref operator = new Ref(id, GlobalId.encode(GlobalId.Type.OPERATOR, id));
        if (payable) {
            payoutAccount(operator, "acct_" + id.toString().replace("-", ""), true);
        }
        return operator;
    }

    /** Stores the operator's Stripe account as Stripe would have reported it. */
    public void payoutAccount(Ref operator, String stripeAccountId, boolean chargesEnabled) {
        db.sql("""
                        INSERT INTO payout_account (operator_id, stripe_account_id, charges_enabled, payouts_enabled, details_submitted,
                                                    requirements_due)
                        VALUES (:op, :acct, :charges, :charges, :charges, CASE WHEN :charges THEN '{}'::text[] ELSE '{external_account}' END)""")
                .bind("op", operator.uuid()).bind("acct", stripeAccountId).bind("charges", chargesEnabled).then().block();
    }

    /** A user who is staff of the operator with the role; returns the user's subject for {@code as(...)}. */
    public String staff(Ref operator, String role) {
        String subject = "test:" + role.toLowerCase() + "-" + operator.uuid();
        Ref user = user(subject);
        db.sql("INSERT INTO staff_membership (operator_id, user_id, role) VALUES (:op, :user, :role)")
                .bind("op", operator.uuid()).bind("user", user.uuid()).bind("role", role).then().block();
        return subject;
    }

    public Ref property(Ref operator, String name) {
        UUID id = Ids.newId();
        db.sql("""
                        INSERT INTO property (id, operator_id, name, address_line, city, country_code, latitude, longitude, time_zone)
                        VALUES (:id, :op, :name, 'Jl. Batu Mejan 1', 'Canggu', 'ID', -8.6478, 115.1385, 'Asia/Makassar')""")
                .bind("id", id).bind("op", operator.uuid()).bind("name", name).then().block();
        return new Ref(id, GlobalId.encode(GlobalId.Type.PROPERTY, id));
    }

    /** A unit with a monthly price list; published or draft. */
    public Ref unit(Ref operator, Ref property, String name, boolean published) {
        return unit(operator, property, name, published, "PRIVATE_ROOM", 1, 1, "NIGHT");
    }

    /**
     * A unit of any type and capacity with the same price list: 25.00 USD a night, 450.00 a month,
     * a 300.00 deposit.
     */
    public Ref unit(Ref operator, Ref property, String name, boolean published, String type, int capacity, int maxGuests,
                    String granularity) {
        UUID id = Ids.newId();
        db.sql("""
                        INSERT INTO unit (id, operator_id, property_id, name, type, capacity, max_guests, booking_granularity, status, published_at)
                        VALUES (:id, :op, :property, :name, :type, :capacity, :maxGuests, :granularity, :status,
                                CASE WHEN :status = 'PUBLISHED' THEN now() END)""")
                .bind("id", id).bind("op", operator.uuid()).bind("property", property.uuid()).bind("name", name)
                .bind("type", type).bind("capacity", capacity).bind("maxGuests", maxGuests).bind("granularity", granularity)
                .bind("status", published ? "PUBLISHED" : "DRAFT").then().block();
        db.sql("""
                        INSERT INTO unit_pricing (unit_id, operator_id, currency, nightly_rate, monthly_rate, deposit)
                        VALUES (:id, :op, 'USD', 2500, 45000, 30000)""")
                .bind("id", id).bind("op", operator.uuid()).then().block();
        return new Ref(id, GlobalId.encode(GlobalId.Type.UNIT, id));
    }

    public long count(String table) {
        return db.sql("SELECT count(*) AS n FROM " + table).map(row -> row.get("n", Long.class)).one().block();
    }
}
