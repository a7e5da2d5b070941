package io.nomadstays.demo;

/** A WGS84 position in degrees. */
record GeoPoint(double latitude, double longitude) {

    private static final double KM_PER_DEGREE = 111.32;

    /**
     * The point moved by the given kilometres north and east (a flat-earth step, good to a few
     * metres over the ~10 km the demo data uses). Longitude is wrapped into [-180, 180) so that
     * points east of Nadi or west of Apia cross the antimeridian instead of leaving the range.
     */
    GeoPoint offsetKm(double northKm, double eastKm) {
        double lat = latitude + northKm / KM_PER_DEGREE;
        lat = Math.max(-89.9, Math.min(89.9, lat));
        double lon = longitude + eastKm / (KM_PER_DEGREE * Math.cos(Math.toRadians(latitude)));
        lon = ((lon + 180) % 360 + 360) % 360 - 180;
        return new GeoPoint(lat, lon);
    }

    /** Great-circle distance in kilometres (haversine). */
    double distanceKm(GeoPoint other) {
        double dLat = Math.toRadians(other.latitude - latitude);
        double dLon = Math.toRadians(other.longitude - longitude);
        double a = Math.pow(Math.sin(dLat / 2), 2)
                + Math.cos(Math.toRadians(latitude)) * Math.cos(Math.toRadians(other.latitude))
                * Math.pow(Math.sin(dLon / 2), 2);
        return 2 * 6371.0 * Math.asin(Math.min(1, Math.sqrt(a)));
    }
}
