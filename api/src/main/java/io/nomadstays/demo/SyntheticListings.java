package io.nomadstays.demo;

import io.nomadstays.demo.DemoIds.Kind;
import io.nomadstays.demo.DemoIds.SplitMix;
import io.nomadstays.demo.ListingWriter.Discount;
import io.nomadstays.demo.ListingWriter.Pricing;
import io.nomadstays.demo.ListingWriter.Source;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The synthetic catalogue as a pure function of a seed and a row number: unit {@code i} belongs to
 * property {@code i / 5}, and every field of either comes from a random stream seeded by
 * (seed, row number) alone. So any unit can be made again without the ones before it, which is
 * what lets the generator resume a run or extend one to more units.
 */
final class SyntheticListings {

    static final int UNITS_PER_PROPERTY = 5;
    static final double RADIUS_KM = 10;

    private enum PropertyKind {
        HOSTEL(15, "Hostel", "青年旅舍"),
        COLIVING(30, "Coliving", "共居社区"),
        APARTMENTS(20, "Residences", "公寓"),
        COWORKING(25, "Coworking", "共享办公"),
        LIVE_WORK(10, "Live & Work", "生活工作社区");

        final int weight;
        final String word;
        final String chineseWord;

        PropertyKind(int weight, String word, String chineseWord) {
            this.weight = weight;
            this.word = word;
            this.chineseWord = chineseWord;
        }
    }

    /** Per property kind, the unit types that slot 0..4 of its units may take (one picked at random). */
    private static final Map<PropertyKind, UnitType[][]> SLOTS = Map.of(
            PropertyKind.HOSTEL, new UnitType[][] {
                    {UnitType.BED}, {UnitType.BED}, {UnitType.PRIVATE_ROOM}, {UnitType.PRIVATE_ROOM, UnitType.SHARED_ROOM},
                    {UnitType.HOT_DESK, UnitType.PRIVATE_ROOM}},
            PropertyKind.COLIVING, new UnitType[][] {
                    {UnitType.PRIVATE_ROOM}, {UnitType.PRIVATE_ROOM}, {UnitType.STUDIO},
                    {UnitType.SHARED_ROOM, UnitType.PRIVATE_ROOM}, {UnitType.HOT_DESK, UnitType.STUDIO}},
            PropertyKind.APARTMENTS, new UnitType[][] {
                    {UnitType.STUDIO}, {UnitType.STUDIO}, {UnitType.APARTMENT}, {UnitType.APARTMENT},
                    {UnitType.STUDIO, UnitType.APARTMENT}},
            PropertyKind.COWORKING, new UnitType[][] {
                    {UnitType.HOT_DESK}, {UnitType.DEDICATED_DESK}, {UnitType.PRIVATE_OFFICE}, {UnitType.MEETING_ROOM},
                    {UnitType.PRIVATE_OFFICE, UnitType.MEETING_ROOM, UnitType.DEDICATED_DESK}},
            PropertyKind.LIVE_WORK, new UnitType[][] {
                    {UnitType.APARTMENT, UnitType.STUDIO}, {UnitType.STUDIO, UnitType.PRIVATE_ROOM}, {UnitType.PRIVATE_ROOM},
                    {UnitType.HOT_DESK}, {UnitType.MEETING_ROOM, UnitType.DEDICATED_DESK}});

    private static final String[] PREFIXES = {
            "Palm", "Harbor", "Lantern", "Cedar", "Monsoon", "Atlas", "Summit", "Ember", "Tide", "Juniper",
            "Orchard", "Canopy", "Basecamp", "Driftwood", "Mosaic", "Terrace", "Lighthouse", "Compass", "Saffron",
            "Willow"};
    private static final String[] CHINESE_PREFIXES = {"栖居", "拾光", "青藤", "云朵", "方舟", "暖阳", "山海", "半岛"};
    private static final String[] STREETS = {
            "Market Street", "Harbour Road", "Garden Lane", "Station Road", "Riverside Walk", "Old Town Square",
            "Church Street", "Hill Road", "Beach Road", "Park Avenue"};
    private static final String[] HOUSE_RULES = {
            "Quiet hours 22:00-07:00. No smoking indoors.",
            "Please clean up the shared kitchen after use. Quiet hours after 23:00.",
            "Guests must be registered at reception. No parties.",
            "Check-in from 15:00, check-out by 11:00. Pets on request.",
            "Members only beyond reception. Calls in the phone booths, please."};

    private static final int SALT_SHAPE = 1;
    private static final int SALT_PROPERTY = 2;
    private static final int SALT_UNIT = 3;
    private static final int SALT_SPEED = 4;

    /** What the units of a property have in common. */
    private record Shape(UUID id, UUID operatorId, City city, PropertyKind kind, double roomUsdPerMonth) {
    }

    private final long seed;
    private final PriceBook prices;
    private final Map<String, Integer> minorUnits;
    private final List<UUID> operatorIds;
    private final Instant now;
    private final List<City> cities = City.all();
    private final int[] cumulativeCityWeights;

    SyntheticListings(long seed, PriceBook prices, Map<String, Integer> minorUnits, List<UUID> operatorIds,
                      Instant now) {
        if (operatorIds.isEmpty()) {
            throw new IllegalArgumentException("No operators to own the synthetic units");
        }
        this.seed = seed;
        this.prices = prices;
        this.minorUnits = minorUnits;
        this.operatorIds = List.copyOf(operatorIds);
        this.now = now;
        cumulativeCityWeights = new int[cities.size()];
        int total = 0;
        for (int c = 0; c < cities.size(); c++) {
            total += prices.band(cities.get(c)).weight();
            cumulativeCityWeights[c] = total;
        }
    }

    static long propertyIndexOf(long unitIndex) {
        return unitIndex / UNITS_PER_PROPERTY;
    }

    static UUID unitId(long unitIndex) {
        return DemoIds.synthetic(Kind.UNIT, unitIndex, 0);
    }

    static UUID propertyId(long propertyIndex) {
        return DemoIds.synthetic(Kind.PROPERTY, propertyIndex, 0);
    }

    ListingWriter.Property property(long propertyIndex) {
        Shape shape = shape(propertyIndex);
        SplittableRandom random = random(SALT_PROPERTY, propertyIndex);
        City city = shape.city();
        // Distance uniform in [0, R) rather than area-uniform: listings cluster towards the centre.
        double distanceKm = RADIUS_KM * random.nextDouble();
        double bearing = 2 * Math.PI * random.nextDouble();
        GeoPoint location = city.centre().offsetKm(distanceKm * Math.cos(bearing), distanceKm * Math.sin(bearing));

        String name;
        if (city.countryCode().equals("CN")) {
            name = pick(random, CHINESE_PREFIXES) + shape.kind().chineseWord + " " + city.localName() + "店";
        } else {
            name = pick(random, PREFIXES) + " " + shape.kind().word + " " + city.name();
        }
        String address = (1 + random.nextInt(300)) + " " + pick(random, STREETS) + ", " + city.name();
        String description = String.format("%s %s %.1f km from the centre of %s. Synthetic listing #%d.",
                name, shape.kind() == PropertyKind.COWORKING ? "is a workspace" : "offers stays", distanceKm,
                city.name(), propertyIndex);
        return new ListingWriter.Property(shape.id(), shape.operatorId(), name, description, address, city, null,
                location, propertyAmenities(shape.kind(), random), pick(random, HOUSE_RULES));
    }

    /** Three recent tests per property: the operator's, a guest's, and a probe's or a second guest's. */
    List<ListingWriter.SpeedTest> speedTests(long propertyIndex) {
        Shape shape = shape(propertyIndex);
        SplittableRandom random = random(SALT_SPEED, propertyIndex);
        boolean slow = random.nextDouble() < 0.3;
        double download = slow ? 4 + 41 * random.nextDouble() : 50 + 550 * random.nextDouble();
        double upload = download * (0.1 + 0.9 * random.nextDouble());
        Source third = random.nextBoolean() ? Source.PROBE : Source.GUEST;
        List<ListingWriter.SpeedTest> tests = new ArrayList<>(3);
        Source[] sources = {Source.OPERATOR, Source.GUEST, third};
        for (int n = 0; n < sources.length; n++) {
            double variation = 0.85 + 0.25 * random.nextDouble();
            double latency = slow ? 30 + 90 * random.nextDouble() : 5 + 35 * random.nextDouble();
            Instant measuredAt = now.minus(Duration.ofSeconds(1 + random.nextLong(Duration.ofDays(89).toSeconds())));
            tests.add(new ListingWriter.SpeedTest(DemoIds.synthetic(Kind.SPEED_TEST, propertyIndex, n),
                    shape.operatorId(), shape.id(), null, download * variation, upload * variation, latency,
                    measuredAt, sources[n], null));
        }
        return tests;
    }

    ListingWriter.Unit unit(long unitIndex) {
        long propertyIndex = propertyIndexOf(unitIndex);
        int slot = (int) (unitIndex % UNITS_PER_PROPERTY);
        Shape shape = shape(propertyIndex);
        SplittableRandom random = random(SALT_UNIT, unitIndex);
        UnitType type = pick(random, SLOTS.get(shape.kind())[slot]);
        // The city's price of a private room, moved up or down a little per unit.
        double room = shape.roomUsdPerMonth() * (0.8 + 0.45 * random.nextDouble());
        String currency = shape.city().currency();
        int number = slot + 1;

        return switch (type) {
            case BED -> {
                int beds = pick(random, new Integer[] {4, 6, 8, 8, 10, 12});
                yield stay(unitIndex, shape, random, "Bed in " + beds + "-bed dorm " + number, type, beds, 1,
                        beds * 3.5 + 6, Granularity.NIGHT, 0.45 * room);
            }
            case SHARED_ROOM -> stay(unitIndex, shape, random, "Twin shared room " + number, type, 2, 1,
                    14 + random.nextInt(7), night(random, 0.6), 0.65 * room);
            case PRIVATE_ROOM -> {
                int size = 9 + random.nextInt(10);
                yield stay(unitIndex, shape, random, "Private room " + number, type, 1, 1 + random.nextInt(2), size,
                        night(random, 0.5), room * size / 13.0);
            }
            case STUDIO -> stay(unitIndex, shape, random, "Studio " + number, type, 1, 2, 20 + random.nextInt(16),
                    night(random, 0.4), 1.6 * room);
            case APARTMENT -> {
                int bedrooms = 1 + random.nextInt(3);
                yield stay(unitIndex, shape, random, bedrooms + "-bedroom apartment " + number, type, 1, 2 * bedrooms,
                        25 + 22 * bedrooms + random.nextInt(10), night(random, 0.3), (1.8 + 0.7 * bedrooms) * room);
            }
            case HOT_DESK -> workspace(unitIndex, shape, "Hot desk", type, 20 + 5 * random.nextInt(5), 1, null,
                    Granularity.DAY, 1, 31, new Pricing(currency, null, null, money(0.022 * room, currency), null,
                            money(0.28 * room, currency), 0, 0, List.of()));
            case DEDICATED_DESK -> {
                boolean daily = random.nextDouble() < 0.3;
                yield workspace(unitIndex, shape, "Dedicated desk", type, 5 + random.nextInt(16), 1, null,
                        daily ? Granularity.DAY : Granularity.MONTH, 1, daily ? 31 : 12,
                        new Pricing(currency, null, null, daily ? money(0.035 * room, currency) : null, null,
                                money(0.4 * room, currency), 0, 0, List.of()));
            }
            case PRIVATE_OFFICE -> {
                int seats = 2 + random.nextInt(9);
                Long monthly = money(0.5 * seats * room, currency);
                yield workspace(unitIndex, shape, seats + "-person office " + number, type, 1, seats, seats * 4.5 + 2,
                        Granularity.MONTH, 1, 36, new Pricing(currency, null, null, null, null, monthly, 0, monthly,
                                List.of()));
            }
            case MEETING_ROOM -> {
                int seats = 4 + 2 * random.nextInt(7);
                yield workspace(unitIndex, shape, "Meeting room " + number + " (" + seats + " seats)", type, 1, seats,
                        seats * 2.5 + 6, Granularity.HOUR, 1, 12, new Pricing(currency,
                                money(0.0035 * seats * room, currency), null, null, null, null, 0, 0, List.of()));
            }
        };
    }

    /** A room, bed, studio or apartment: nightly (with a short-stay premium) or on monthly leases. */
    private ListingWriter.Unit stay(long unitIndex, Shape shape, SplittableRandom random, String name, UnitType type,
                                    int capacity, int maxGuests, double sizeM2, Granularity granularity,
                                    double monthlyUsd) {
        String currency = shape.city().currency();
        boolean nightly = granularity == Granularity.NIGHT;
        double nightlyUsd = monthlyUsd / 30 * 1.7;
        List<Discount> discounts = new ArrayList<>();
        if (random.nextDouble() < 0.4) {
            if (nightly) {
                discounts.add(new Discount(7, 500 + 100 * random.nextInt(6)));
                discounts.add(new Discount(28, 1000 + 250 * random.nextInt(7)));
            } else {
                discounts.add(new Discount(180, 500));
                discounts.add(new Discount(360, 1000));
            }
        }
        Pricing pricing = new Pricing(currency, null,
                nightly ? money(nightlyUsd, currency) : null, null,
                nightly ? money(nightlyUsd * 7 * 0.85, currency) : null,
                money(monthlyUsd, currency),
                money(nightly ? 0.04 * monthlyUsd : (random.nextBoolean() ? 0.06 * monthlyUsd : 0), currency),
                money(nightly ? (type == UnitType.BED ? 0.1 * monthlyUsd : 0.2 * monthlyUsd) : monthlyUsd, currency),
                discounts);
        int minStay = 1 + random.nextInt(3); // nights or months, as the granularity says
        int maxStay = nightly ? pick(random, new Integer[] {30, 90, 180, 365}) : pick(random, new Integer[] {12, 24});
        boolean furnished = type == UnitType.BED || random.nextDouble() < 0.88;
        return new ListingWriter.Unit(unitId(unitIndex), shape.operatorId(), shape.id(), name,
                describe(type, shape), type, capacity, maxGuests, sizeM2, furnished, granularity, minStay, maxStay,
                unitAmenities(type, random), true, pricing);
    }

    private ListingWriter.Unit workspace(long unitIndex, Shape shape, String name, UnitType type, int capacity,
                                         int maxGuests, Double sizeM2, Granularity granularity, int minStay,
                                         int maxStay, Pricing pricing) {
        return new ListingWriter.Unit(unitId(unitIndex), shape.operatorId(), shape.id(), name, describe(type, shape),
                type, capacity, maxGuests, sizeM2, true, granularity, minStay, maxStay,
                List.of("monitor", "locker"), true, pricing);
    }

    private Shape shape(long propertyIndex) {
        SplittableRandom random = random(SALT_SHAPE, propertyIndex);
        int weight = random.nextInt(cumulativeCityWeights[cumulativeCityWeights.length - 1]);
        int c = 0;
        while (cumulativeCityWeights[c] <= weight) {
            c++;
        }
        City city = cities.get(c);
        int kindWeight = random.nextInt(100);
        PropertyKind kind = null;
        for (PropertyKind k : PropertyKind.values()) {
            kindWeight -= k.weight;
            if (kindWeight < 0) {
                kind = k;
                break;
            }
        }
        UUID operatorId = operatorIds.get(random.nextInt(operatorIds.size()));
        return new Shape(propertyId(propertyIndex), operatorId, city, kind, prices.band(city).roomUsdPerMonth());
    }

    /** A USD amount as minor units of the currency, rounded to a price someone would set. */
    private Long money(double usd, String currency) {
        return PriceBook.toMinor(prices.fromUsd(usd, currency), minorUnits.get(currency));
    }

    private static Granularity night(SplittableRandom random, double nightlyShare) {
        return random.nextDouble() < nightlyShare ? Granularity.NIGHT : Granularity.MONTH;
    }

    private static String describe(UnitType type, Shape shape) {
        String what = switch (type) {
            case BED -> "A bed in a shared dorm with lockers and reading lights";
            case SHARED_ROOM -> "A bed in a twin room shared with one other guest";
            case PRIVATE_ROOM -> "A private room with a desk";
            case STUDIO -> "A self-contained studio with a kitchenette and its own bathroom";
            case APARTMENT -> "A furnished apartment with a full kitchen";
            case HOT_DESK -> "Any free desk in the open workspace, by the day or the month";
            case DEDICATED_DESK -> "Your own desk with a monitor and a locker";
            case PRIVATE_OFFICE -> "A lockable office for a small team";
            case MEETING_ROOM -> "A meeting room with a screen and a whiteboard, by the hour";
        };
        return what + " in " + shape.city().name() + ".";
    }

    private static List<String> propertyAmenities(PropertyKind kind, SplittableRandom random) {
        List<String> amenities = new ArrayList<>(List.of("wifi"));
        String[] always = switch (kind) {
            case HOSTEL -> new String[] {"kitchen", "laundry", "events"};
            case COLIVING -> new String[] {"kitchen", "laundry", "events", "coworking"};
            case APARTMENTS -> new String[] {"laundry", "air_conditioning"};
            case COWORKING -> new String[] {"coworking", "coffee_bar", "meeting_rooms"};
            case LIVE_WORK -> new String[] {"coworking", "kitchen", "events", "coffee_bar"};
        };
        String[] sometimes = switch (kind) {
            case HOSTEL -> new String[] {"pool", "bar", "coworking", "bike_rental", "air_conditioning"};
            case COLIVING -> new String[] {"gym", "housekeeping", "roof_deck", "air_conditioning", "pool", "garden"};
            case APARTMENTS -> new String[] {"gym", "housekeeping", "elevator", "parking", "concierge"};
            case COWORKING -> new String[] {"printing", "phone_booths", "events", "access_24_7", "bike_storage"};
            case LIVE_WORK -> new String[] {"gym", "housekeeping", "roof_deck", "garden", "laundry"};
        };
        amenities.addAll(List.of(always));
        for (String amenity : sometimes) {
            if (random.nextBoolean()) {
                amenities.add(amenity);
            }
        }
        return amenities;
    }

    private static List<String> unitAmenities(UnitType type, SplittableRandom random) {
        List<String> amenities = new ArrayList<>();
        String[] options = switch (type) {
            case BED, SHARED_ROOM -> new String[] {"locker", "reading_light", "curtains", "air_conditioning"};
            default -> new String[] {"desk", "air_conditioning", "private_bathroom", "balcony", "kitchenette"};
        };
        for (String amenity : options) {
            if (random.nextBoolean()) {
                amenities.add(amenity);
            }
        }
        return amenities;
    }

    private SplittableRandom random(int salt, long index) {
        return new SplittableRandom(SplitMix.mix(SplitMix.mix(seed * 31 + salt) + index));
    }

    private static <T> T pick(SplittableRandom random, T[] options) {
        return options[random.nextInt(options.length)];
    }
}
