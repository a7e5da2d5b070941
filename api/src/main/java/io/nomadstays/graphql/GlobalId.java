package io.nomadstays.graphql;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * Opaque global IDs: base64url of one type byte and the 16 bytes of the row's UUID, 23
 * characters. Clients must not parse them; the type byte lets {@code node(id:)} route the ID and
 * lets every argument refuse an ID of the wrong type (docs/adr/0005).
 */
public record GlobalId(Type type, UUID uuid) {

    public enum Type {
        USER(1, "User"), OPERATOR(2, "Operator"), PROPERTY(3, "Property"), UNIT(4, "Unit"), STAY(5, "Stay"),
        SPEED_TEST(6, "SpeedTest"), BOOKING(7, "Booking"), BLOCK(8, "CalendarBlock"),
        CALENDAR_FEED(9, "CalendarFeed");

        private final byte code;
        private final String typeName;

        Type(int code, String typeName) {
            this.code = (byte) code;
            this.typeName = typeName;
        }

        public String typeName() {
            return typeName;
        }

        static Optional<Type> of(byte code) {
            for (Type t : values()) {
                if (t.code == code) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final int ENCODED_LENGTH = 23;

    public static String encode(Type type, UUID uuid) {
        ByteBuffer buf = ByteBuffer.allocate(17);
        buf.put(type.code).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return ENCODER.encodeToString(buf.array());
    }

    @Override
    public String toString() {
        return encode(type, uuid);
    }

    /** Decodes any well-formed ID; empty when it is not one of ours. */
    public static Optional<GlobalId> parse(String id) {
        if (id == null || id.length() != ENCODED_LENGTH) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = DECODER.decode(id);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (bytes.length != 17) {
            return Optional.empty();
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        byte code = buf.get();
        UUID uuid = new UUID(buf.getLong(), buf.getLong());
        return Type.of(code).map(t -> new GlobalId(t, uuid));
    }
}
