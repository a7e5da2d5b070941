package io.nomadstays.property;

import io.nomadstays.graphql.GlobalId;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One place with an address, coordinates, a time zone, amenities and house rules. */
public record Property(UUID uuid, UUID operatorId, String name, String description, Address address, GeoPoint location,
                       String timeZone, List<String> amenities, String houseRules, Instant createdAt, Instant updatedAt) {

    public String id() {
        return GlobalId.encode(GlobalId.Type.PROPERTY, uuid);
    }

    public record Address(String line, String city, String cityLocal, String postalCode, String countryCode) {
    }

    public record GeoPoint(double lat, double lon) {
    }
}
