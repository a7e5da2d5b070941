package io.nomadstays.bench;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.UUID;

/**
 * The API's global IDs (docs/adr/0005: base64url of a type byte and the UUID's 16 bytes). Clients
 * must not build them; the benchmark does only to match search hits with raw Elasticsearch {@code _id}s
 * and to address the units it found in PostgreSQL.
 */
final class GlobalIds {

    static final int OPERATOR = 2;
    static final int UNIT = 4;
    static final int STAY = 5;

    private GlobalIds() {
    }

    static String encode(int type, UUID uuid) {
        ByteBuffer buf = ByteBuffer.allocate(17);
        buf.put((byte) type).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buf.array());
    }
}
