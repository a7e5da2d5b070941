package io.nomadstays.demo;

import static io.nomadstays.demo.Granularity.MONTH;
import static io.nomadstays.demo.Granularity.NIGHT;

import java.util.ArrayList;
import java.util.List;

/**
 * The hand-written demo data: the nine kinds of operator of the product brief, with invented names,
 * their properties and units. Amounts here are in major units of the property's currency (USD 300,
 * CNY 4,300); {@link DemoSeeder} turns them into minor units with the {@code currency} table.
 */
final class DemoCatalog {

    record OperatorSeed(String slug, String name, String currency, int commissionBps, List<PropertySeed> properties) {
    }

    /**
     * One property. {@code northKm} and {@code eastKm} place it relative to its city's centre in
     * {@code nomad-cities.csv}; {@code currency} null means the city's own currency.
     */
    record PropertySeed(String key, String city, String name, String address, String postalCode,
                        double northKm, double eastKm, String currency, String description,
                        List<String> amenities, String houseRules, Internet internet, List<UnitSeed> units) {
    }

    /** Typical measured line speed; the seeder derives operator, guest and (if {@code probe}) probe tests from it. */
    record Internet(double downloadMbps, double uploadMbps, boolean probe) {
    }

    /** Min and max stay count {@code granularity} units (nights, days, hours or months). */
    record UnitSeed(String key, String name, UnitType type, Granularity granularity, int capacity, int maxGuests,
                    Double sizeM2, boolean furnished, int minStay, Integer maxStay, List<String> amenities,
                    String description, boolean draft, Rates rates) {

        UnitSeed asDraft() {
            return new UnitSeed(key, name, type, granularity, capacity, maxGuests, sizeM2, furnished, minStay, maxStay,
                    amenities, description, true, rates);
        }

        UnitSeed unfurnished() {
            return new UnitSeed(key, name, type, granularity, capacity, maxGuests, sizeM2, false, minStay, maxStay,
                    amenities, description, draft, rates);
        }

        UnitSeed with(String description, String... amenities) {
            return new UnitSeed(key, name, type, granularity, capacity, maxGuests, sizeM2, furnished, minStay, maxStay,
                    List.of(amenities), description, draft, rates);
        }
    }

    /** A price list in major units; null where the unit has no such rate. */
    record Rates(Long hourly, Long nightly, Long daily, Long weekly, Long monthly, long cleaningFee, long deposit,
                 List<ListingWriter.Discount> discounts) {

        static Rates perNight(long nightly, long weekly, long monthly) {
            return new Rates(null, nightly, null, weekly, monthly, 0, 0, List.of());
        }

        static Rates perMonth(long monthly) {
            return new Rates(null, null, null, null, monthly, 0, 0, List.of());
        }

        /** Day passes, with a monthly membership price. */
        static Rates perDay(long daily, long monthly) {
            return new Rates(null, null, daily, null, monthly, 0, 0, List.of());
        }

        static Rates perHour(long hourly) {
            return new Rates(hourly, null, null, null, null, 0, 0, List.of());
        }

        Rates fees(long cleaningFee, long deposit) {
            return new Rates(hourly, nightly, daily, weekly, monthly, cleaningFee, deposit, discounts);
        }

        /** {@code percent}% off stays of at least {@code minNights} nights. */
        Rates discount(int minNights, int percent) {
            List<ListingWriter.Discount> more = new ArrayList<>(discounts);
            more.add(new ListingWriter.Discount(minNights, percent * 100));
            return new Rates(hourly, nightly, daily, weekly, monthly, cleaningFee, deposit, List.copyOf(more));
        }
    }

    private DemoCatalog() {
    }

    // ---- unit shapes: the few combinations of type, granularity and capacity that real listings use

    /** A dorm sold bed by bed: a dorm of 8 is one unit of capacity 8. */
    static UnitSeed bed(String key, String name, int beds, double sizeM2, Rates rates) {
        return new UnitSeed(key, name, UnitType.BED, NIGHT, beds, 1, sizeM2, true, 1, 180,
                List.of("locker", "reading_light"), "", false, rates);
    }

    static UnitSeed room(String key, String name, Granularity granularity, double sizeM2, int minStay, int maxStay,
                         Rates rates) {
        return new UnitSeed(key, name, UnitType.PRIVATE_ROOM, granularity, 1, granularity == NIGHT ? 2 : 1, sizeM2,
                true, minStay, maxStay, List.of("desk"), "", false, rates);
    }

    static UnitSeed studio(String key, String name, Granularity granularity, double sizeM2, int minStay, int maxStay,
                           Rates rates) {
        return new UnitSeed(key, name, UnitType.STUDIO, granularity, 1, 2, sizeM2, true, minStay, maxStay,
                List.of("kitchenette", "private_bathroom", "desk"), "", false, rates);
    }

    static UnitSeed apartment(String key, String name, Granularity granularity, double sizeM2, int maxGuests,
                              int minStay, int maxStay, Rates rates) {
        return new UnitSeed(key, name, UnitType.APARTMENT, granularity, 1, maxGuests, sizeM2, true, minStay, maxStay,
                List.of("kitchen", "private_bathroom", "desk", "washing_machine"), "", false, rates);
    }

    /** A pool of interchangeable desks sold by the day: capacity is the number of desks. */
    static UnitSeed hotDesks(String key, String name, int desks, Rates rates) {
        return new UnitSeed(key, name, UnitType.HOT_DESK, Granularity.DAY, desks, 1, null, true, 1, 31,
                List.of("locker", "monitor"), "", false, rates);
    }

    static UnitSeed dedicatedDesks(String key, String name, Granularity granularity, int desks, Rates rates) {
        return new UnitSeed(key, name, UnitType.DEDICATED_DESK, granularity, desks, 1, null, true, 1,
                granularity == MONTH ? 12 : 31, List.of("monitor", "locker", "ergonomic_chair"), "", false, rates);
    }

    static UnitSeed office(String key, String name, int seats, double sizeM2, Rates rates) {
        return new UnitSeed(key, name, UnitType.PRIVATE_OFFICE, MONTH, 1, seats, sizeM2, true, 1, 36,
                List.of("lockable_door", "whiteboard"), "", false, rates);
    }

    static UnitSeed meetingRoom(String key, String name, int seats, double sizeM2, Rates rates) {
        return new UnitSeed(key, name, UnitType.MEETING_ROOM, Granularity.HOUR, 1, seats, sizeM2, true, 1, 10,
                List.of("screen", "whiteboard", "video_conferencing"), "", false, rates);
    }

    static List<OperatorSeed> operators() {
        return List.of(cangguHostel(), coworkingBrand(), coworkingDirectory(), chineseApartments(), youthCommunity(),
                hutongProject(), servicedStudios(), microApartments(), sharedHouses());
    }

    // ---- 1. Bali surf-and-work hostel: dorm beds as capacity, private rooms, a coworking floor; USD and IDR

    private static OperatorSeed cangguHostel() {
        return new OperatorSeed("canggu-surf-work", "Canggu Surf & Work Hostel", "USD", 1200, List.of(
                new PropertySeed("batu-bolong", "Canggu", "Canggu Surf & Work Hostel · Batu Bolong",
                        "Jl. Pantai Batu Bolong No. 56, Canggu, Kuta Utara, Badung", "80351", -0.4, -0.6, "USD",
                        "A surf-and-work hostel five minutes' walk from Batu Bolong beach: dorms and private rooms "
                                + "around a saltwater pool, and a full coworking floor upstairs with 100 Mbps fibre and "
                                + "a backup line. Morning surf lessons, sunset sessions on the rooftop and a community "
                                + "dinner every Tuesday.",
                        List.of("wifi", "coworking", "pool", "kitchen", "laundry", "air_conditioning", "events",
                                "coffee_bar", "surfboard_storage", "bike_rental"),
                        "Quiet hours 22:00-07:00 in the dorms. No outside guests in the dorms. Shoes off inside the "
                                + "rooms. Check-in from 14:00, check-out by 11:00.",
                        new Internet(105, 48, true),
                        List.of(
                                bed("dorm-8-pool", "8-bed mixed dorm, pool side", 8, 32,
                                        Rates.perNight(18, 110, 300).fees(0, 50).discount(28, 5)),
                                bed("dorm-8-female", "8-bed female dorm", 8, 30,
                                        Rates.perNight(19, 115, 320).fees(0, 50).discount(28, 5)),
                                room("garden-room", "Private room, garden view", NIGHT, 16, 1, 180,
                                        Rates.perNight(45, 280, 750).fees(10, 150).discount(28, 10)),
                                room("pool-room", "Private room with balcony, pool view", NIGHT, 18, 1, 180,
                                        Rates.perNight(55, 340, 900).fees(10, 200).discount(28, 10)),
                                hotDesks("coworking-floor", "Coworking floor day pass", 30, Rates.perDay(10, 150))
                                        .with("Air-conditioned coworking floor with 100 Mbps fibre, a backup line "
                                                + "and a call booth.", "monitor", "call_booth"),
                                dedicatedDesks("dedicated-desk", "Dedicated desk with monitor", MONTH, 12,
                                        Rates.perMonth(190)),
                                room("rooftop-suite", "Rooftop suite", NIGHT, 28, 2, 90,
                                        Rates.perNight(95, 600, 1600).fees(20, 300)).asDraft())),
                new PropertySeed("pererenan-annex", "Canggu", "Canggu Surf & Work · Pererenan Annex",
                        "Jl. Pantai Pererenan No. 12, Pererenan, Mengwi, Badung", "80351", 0.3, -2.4, "IDR",
                        "Our quieter annex by the rice fields of Pererenan: a small dorm and private rooms for long "
                                + "stays, priced in rupiah. Guests share the coworking floor at Batu Bolong, ten "
                                + "minutes away by scooter.",
                        List.of("wifi", "kitchen", "laundry", "garden", "scooter_rental"),
                        "Quiet hours 22:00-07:00. Please leave scooters in the lane, not in the garden.",
                        new Internet(28, 10, false),
                        List.of(
                                bed("dorm-6", "6-bed dorm", 6, 26,
                                        Rates.perNight(250_000, 1_500_000, 4_500_000).fees(0, 500_000)),
                                room("ricefield-room", "Private room, rice field view (monthly)", MONTH, 15, 1, 12,
                                        Rates.perMonth(9_500_000).fees(300_000, 5_000_000).discount(90, 5)),
                                room("garden-room", "Private room, garden", NIGHT, 14, 2, 120,
                                        Rates.perNight(550_000, 3_400_000, 9_000_000).fees(100_000, 1_000_000))))));
    }

    // ---- 2. Global coworking brand: hot desks, dedicated desks, offices and hourly meeting rooms in many cities

    private static OperatorSeed coworkingBrand() {
        return new OperatorSeed("meridian-work", "Meridian Workspaces", "USD", 800, List.of(
                brandLocation("new-york-flatiron", "New York", "Meridian Workspaces · Flatiron", "902 Broadway, New York, NY",
                        "10010", 3.0, 1.4, new Internet(940, 880, true), 45, 450, 650, 3400, 65),
                brandLocation("lisbon-avenida", "Lisbon", "Meridian Workspaces · Avenida da Liberdade",
                        "Avenida da Liberdade 245, Lisboa", "1250-143", 0.8, 0.0, new Internet(500, 300, true),
                        25, 230, 320, 1700, 35),
                brandLocation("berlin-mitte", "Berlin", "Meridian Workspaces · Mitte", "Rosenthaler Straße 40, Berlin",
                        "10178", 0.9, 0.3, new Internet(250, 50, false), 29, 290, 390, 2100, 40),
                brandLocation("mexico-city-roma", "Mexico City", "Meridian Workspaces · Roma Norte",
                        "Av. Álvaro Obregón 179, Roma Nte., Cuauhtémoc, CDMX", "06700", -1.5, -3.0,
                        new Internet(200, 100, false), 380, 4200, 5900, 29000, 650),
                brandLocation("shanghai-jingan", "Shanghai", "Meridian Workspaces · Jing'an 静安",
                        "上海市静安区南京西路 1266 号", "200040", -0.3, -1.8, new Internet(300, 100, true),
                        160, 1900, 2700, 12500, 350)));
    }

    private static PropertySeed brandLocation(String key, String city, String name, String address, String postalCode,
                                              double northKm, double eastKm, Internet internet, long dayPass,
                                              long hotDeskMonth, long dedicatedMonth, long officeMonth,
                                              long meetingHour) {
        List<UnitSeed> units = new ArrayList<>(List.of(
                hotDesks("hot-desks", "Hot desk", 30, Rates.perDay(dayPass, hotDeskMonth)),
                dedicatedDesks("dedicated-desks", "Dedicated desk", MONTH, 20, Rates.perMonth(dedicatedMonth)),
                office("office-4", "Private office for 4", 4, 14, Rates.perMonth(officeMonth).fees(0, officeMonth)),
                meetingRoom("meeting-8", "Meeting room (8 seats)", 8, 20, Rates.perHour(meetingHour)),
                meetingRoom("boardroom-14", "Boardroom (14 seats)", 14, 36, Rates.perHour(meetingHour * 2))));
        if (key.equals("berlin-mitte")) {
            units.add(meetingRoom("podcast-studio", "Podcast studio", 3, 9, Rates.perHour(meetingHour)).asDraft());
        }
        return new PropertySeed(key, city, name, address, postalCode, northKm, eastKm, null,
                "Flexible workspace on several floors: a hot-desk lounge, dedicated desks, lockable private "
                        + "offices and meeting rooms bookable by the hour. Members can use every Meridian "
                        + "location worldwide.",
                List.of("wifi", "coworking", "coffee_bar", "meeting_rooms", "printing", "phone_booths", "events",
                        "bike_storage", "air_conditioning", "access_24_7"),
                "Members only beyond reception. Calls in phone booths, please. Meeting rooms are released 10 "
                        + "minutes after the start if nobody checks in.",
                internet, units);
    }

    // ---- 3. Coworking directory operator: many independent spaces with consistent city names

    private static OperatorSeed coworkingDirectory() {
        return new OperatorSeed("deskatlas", "DeskAtlas Coworking Network", "USD", 1000, List.of(
                space("chiang-mai-nimman", "Chiang Mai", "Nimman Loft Coworking",
                        "14 Nimmanhaemin Rd Soi 9, Suthep, Mueang Chiang Mai", 0.2, -2.7, 200, 3000, 4200, 300,
                        new Internet(150, 60, true)),
                space("chiang-mai-old-city", "Chiang Mai", "Old City Garden Desks",
                        "Ratchadamnoen Rd Soi 5, Si Phum, Mueang Chiang Mai", 0.1, 0.5, 150, 2500, 0, 0,
                        new Internet(35, 12, false)),
                space("lisbon-boavista", "Lisbon", "Casa Criativa Cowork", "Rua da Boavista 72, Lisboa", -0.7, -0.8,
                        15, 160, 230, 25, new Internet(300, 150, false)),
                space("berlin-kreuzberg", "Berlin", "Kreuzberg Werkhaus", "Oranienstraße 185, Berlin", -1.6, 1.7,
                        20, 200, 290, 30, new Internet(100, 40, false)),
                space("mexico-city-condesa", "Mexico City", "Condesa Desk Club",
                        "Av. Tamaulipas 66, Hipódromo Condesa, CDMX", -2.2, -4.0, 280, 3200, 4500, 450,
                        new Internet(150, 75, true)),
                space("bangkok-ari", "Bangkok", "Ari Garden Works", "Phahonyothin Soi 7, Phaya Thai, Bangkok", 2.6, 4.6,
                        250, 3500, 5000, 400, new Internet(500, 400, true)),
                space("medellin-poblado", "Medellin", "El Poblado Desk Club", "Cra. 37 #8A-32, El Poblado, Medellín",
                        -3.9, 1.5, 35_000, 450_000, 650_000, 60_000, new Internet(120, 60, false)),
                space("tbilisi-vake", "Tbilisi", "Vake Coworking Yard", "Chavchavadze Ave 37, Tbilisi", -0.5, -5.6,
                        20, 250, 350, 30, new Internet(60, 20, false)),
                space("buenos-aires-palermo", "Buenos Aires", "Palermo Work Club", "Gorriti 5870, Palermo, Buenos Aires",
                        2.6, -4.4, 9_000, 110_000, 150_000, 15_000, new Internet(45, 15, false)),
                space("barcelona-gracia", "Barcelona", "Gràcia Desk Lab", "Carrer de Verdi 52, Barcelona", 1.8, -1.0,
                        18, 190, 260, 28, new Internet(600, 600, true)),
                space("canggu-berawa", "Canggu", "Berawa Beach Desks", "Jl. Pantai Berawa No. 88, Canggu", -1.3, 0.7,
                        150_000, 2_300_000, 3_200_000, 200_000, new Internet(80, 40, false)),
                space("taipei-daan", "Taipei", "Da'an Studio Desks 大安共享工作室", "臺北市大安區復興南路一段 219 號",
                        0.1, -2.3, 450, 5500, 7500, 600, new Internet(400, 200, true))));
    }

    /** One listed space: day passes and a monthly membership, dedicated desks and a meeting room where it has them (0 = none). */
    private static PropertySeed space(String key, String city, String name, String address, double northKm,
                                      double eastKm, long dayPass, long monthPass, long dedicatedMonth,
                                      long meetingHour, Internet internet) {
        List<UnitSeed> units = new ArrayList<>();
        units.add(hotDesks("hot-desks", "Hot desk", 30, Rates.perDay(dayPass, monthPass)));
        if (dedicatedMonth > 0) {
            units.add(dedicatedDesks("dedicated-desks", "Dedicated desk", MONTH, 10, Rates.perMonth(dedicatedMonth)));
        } else {
            // A space without monthly desks sells fixed desks by the day instead.
            units.add(dedicatedDesks("dedicated-desks", "Fixed desk by the day", Granularity.DAY, 6,
                    Rates.perDay(dayPass * 3 / 2, monthPass * 3 / 2)));
        }
        if (meetingHour > 0) {
            units.add(meetingRoom("meeting-6", "Meeting room (6 seats)", 6, 15, Rates.perHour(meetingHour)));
        }
        return new PropertySeed(key, city, name, address, null, northKm, eastKm, null,
                name + " is an independent coworking space listed through DeskAtlas: day passes, monthly "
                        + "memberships and desks you can book online.",
                List.of("wifi", "coworking", "coffee_bar", "printing", "air_conditioning"),
                "Keep calls short in the open space. Clean your desk at the end of the day.",
                internet, units);
    }

    // ---- 4. Branded Chinese city apartments: studios on monthly leases, CNY, names and text in Chinese

    private static OperatorSeed chineseApartments() {
        List<String> amenities = List.of("wifi", "kitchen", "laundry", "air_conditioning", "gym", "housekeeping",
                "events", "elevator");
        String rules = "室内禁止吸烟；晚上 23:00 后请保持安静；访客需在前台登记；不可饲养宠物。";
        return new OperatorSeed("fangyu", "方寓公寓 Fangyu Apartments", "CNY", 900, List.of(
                new PropertySeed("beijing-wangjing", "Beijing", "方寓 北京望京店", "北京市朝阳区望京街 9 号", "100102",
                        10.2, 5.4, null,
                        "方寓北京望京店位于望京 SOHO 旁，步行五分钟到达地铁 14 号线望京站。精装修独立开间，拎包入住，"
                                + "每周保洁，公共厨房与洗衣房，每月举办社区活动。适合在北京长期工作与生活的年轻人和数字游民。",
                        amenities, rules, new Internet(200, 40, true),
                        List.of(
                                studio("a-studio", "精装单间 A 型", MONTH, 22, 1, 12,
                                        Rates.perMonth(4_300).fees(200, 4_300).discount(180, 5).discount(360, 10)),
                                studio("b-sunny", "阳光开间 B 型", MONTH, 28, 1, 12,
                                        Rates.perMonth(5_200).fees(200, 5_200).discount(180, 5).discount(360, 10)),
                                apartment("c-one-bed", "一室一厅 C 型", MONTH, 38, 2, 1, 12,
                                        Rates.perMonth(6_800).fees(300, 6_800).discount(360, 8)))),
                new PropertySeed("shanghai-jingan", "Shanghai", "方寓 上海静安店", "上海市静安区江宁路 668 号", "200041",
                        0.9, -2.0, null,
                        "方寓上海静安店地处静安寺商圈，近地铁 7 号线昌平路站。每间开间配独立卫浴、小厨房和书桌，"
                                + "租期灵活，可月付。楼内设健身房和共享客厅。",
                        amenities, rules, new Internet(300, 60, false),
                        List.of(
                                studio("a-studio", "精装单间 A 型", MONTH, 21, 1, 12,
                                        Rates.perMonth(4_900).fees(200, 4_900).discount(180, 5)),
                                studio("b-sunny", "阳光开间 B 型", MONTH, 27, 1, 12,
                                        Rates.perMonth(5_800).fees(200, 5_800).discount(180, 5)),
                                apartment("d-loft", "复式 Loft D 型", MONTH, 42, 2, 3, 12,
                                        Rates.perMonth(8_800).fees(300, 8_800)).asDraft())),
                // The CSV's Dali point is the new town (Xiaguan); the old town lies about 14 km north-west of it.
                new PropertySeed("dali-old-town", "Dali", "方寓 大理古城店", "云南省大理市大理古城人民路 88 号", "671003",
                        9.8, -10.5, null,
                        "方寓大理古城店坐落在大理古城人民路，步行可达洱海门与五华楼，抬头即见苍山。院落式公寓，开间带小阳台，"
                                + "配有共享厨房和共享办公区，适合长住的数字游民。",
                        List.of("wifi", "kitchen", "laundry", "coworking", "garden", "housekeeping"), rules,
                        new Internet(18, 6, false),
                        List.of(
                                studio("cangshan-studio", "苍山景观开间", MONTH, 25, 1, 12,
                                        Rates.perMonth(1_900).fees(150, 1_900).discount(90, 5).discount(180, 10)),
                                room("courtyard-room", "洱海小院单间", MONTH, 15, 1, 12,
                                        Rates.perMonth(1_400).fees(100, 1_400).discount(180, 10)),
                                studio("short-stay-studio", "古城短租开间", NIGHT, 24, 2, 60,
                                        Rates.perNight(180, 1_050, 2_400).fees(60, 500)))),
                new PropertySeed("chengdu-chunxi", "Chengdu", "方寓 成都春熙路店", "四川省成都市锦江区春熙路 35 号",
                        "610016", 1.0, 1.3, null,
                        "方寓成都春熙路店步行可达太古里和春熙路地铁站，生活便利。精装开间，月付灵活，"
                                + "公共区域提供共享办公桌和咖啡吧。",
                        amenities, rules, new Internet(150, 30, true),
                        List.of(
                                studio("a-studio", "精装单间 A 型", MONTH, 22, 1, 12,
                                        Rates.perMonth(2_300).fees(150, 2_300).discount(180, 5)),
                                studio("b-sunny", "阳光开间 B 型", MONTH, 28, 1, 12,
                                        Rates.perMonth(2_800).fees(150, 2_800).discount(180, 5)))),
                new PropertySeed("hangzhou-west-lake", "Hangzhou", "方寓 杭州西湖店", "浙江省杭州市西湖区文三路 199 号",
                        "310012", 1.5, -1.2, null,
                        "方寓杭州西湖店靠近西湖与浙江大学玉泉校区，周边互联网公司集中。精装开间，拎包入住。",
                        amenities, rules, new Internet(500, 50, false),
                        List.of(
                                studio("a-studio", "精装单间 A 型", MONTH, 23, 1, 12,
                                        Rates.perMonth(2_900).fees(150, 2_900).discount(180, 5))))));
    }

    // ---- 5. Entrepreneur youth community: rooms, a roadshow hall and a coffee bar (request-to-book comes later)

    private static OperatorSeed youthCommunity() {
        List<String> amenities = List.of("wifi", "roadshow_hall", "coffee_bar", "events", "kitchen", "laundry", "gym",
                "coworking");
        String rules = "入住申请人须年满 18 岁；社区优先接纳创业者与自由职业者，申请经社区团队审核；公共区域禁止吸烟；"
                + "每月至少参加一次社区活动。 Applicants must be 18 or older; founders and freelancers come first; "
                + "the community team reviews every application.";
        String description = "面向创业者与年轻职业人的青年社区：独立房间、共享厨房、咖啡吧与路演厅，每周举办创业分享与路演。"
                + " A community for founders and young professionals: private rooms, a coffee bar and a roadshow "
                + "hall with weekly pitch nights.";
        return new OperatorSeed("coyoung", "创青年国际社区 CoYoung Community", "CNY", 1000, List.of(
                new PropertySeed("beijing-zhongguancun", "Beijing", "创青年社区 北京中关村店", "北京市海淀区中关村大街 27 号",
                        "100080", 8.8, -7.8, null, description, amenities, rules, new Internet(100, 30, false),
                        List.of(
                                room("single", "创业者单人间 Founder single room", MONTH, 12, 1, 12,
                                        Rates.perMonth(2_600).fees(0, 2_600)),
                                room("balcony", "阳台单人间 Single room with balcony", MONTH, 15, 1, 12,
                                        Rates.perMonth(3_200).fees(0, 3_200).discount(180, 5)),
                                studio("studio", "独立开间 Studio", MONTH, 20, 1, 12,
                                        Rates.perMonth(3_900).fees(0, 3_900)),
                                room("twin", "双人间 Twin room (opening soon)", MONTH, 18, 1, 12,
                                        Rates.perMonth(2_000).fees(0, 2_000)).asDraft())),
                new PropertySeed("shanghai-yangpu", "Shanghai", "创青年社区 上海杨浦店", "上海市杨浦区国定路 335 号",
                        "200433", 8.0, 3.3, null, description, amenities, rules, new Internet(150, 50, true),
                        List.of(
                                room("single", "创业者单人间 Founder single room", MONTH, 12, 1, 12,
                                        Rates.perMonth(2_800).fees(0, 2_800)),
                                room("balcony", "阳台单人间 Single room with balcony", MONTH, 15, 1, 12,
                                        Rates.perMonth(3_300).fees(0, 3_300).discount(180, 5))))));
    }

    // ---- 6. Mixed-use hutong project: apartments and coworking desks in one property

    private static OperatorSeed hutongProject() {
        return new OperatorSeed("hutong-commons", "Lanting Hutong Commons 兰亭胡同", "CNY", 1000, List.of(
                new PropertySeed("dongsi", "Beijing", "兰亭胡同 Hutong Commons · 东四",
                        "北京市东城区东四六条 21 号 (21 Dongsi 6th Alley)", "100007", 3.5, 0.9, null,
                        "修缮后的东四胡同四合院群：长租公寓、共享办公、小店与周末活动，一处生活与工作。 "
                                + "Long-stay apartments, a coworking hall, a small shop street and weekend events in a "
                                + "restored courtyard-house cluster inside Beijing's Dongsi hutongs.",
                        List.of("wifi", "coworking", "events", "coffee_bar", "courtyard", "kitchen", "laundry", "shops",
                                "air_conditioning", "heating"),
                        "胡同内请勿高声喧哗；院内禁止吸烟；自行车请停放在指定区域。 Keep voices down in the alleys; "
                                + "no smoking in the courtyards; park bikes in the rack.",
                        new Internet(300, 60, true),
                        List.of(
                                apartment("courtyard-1br", "四合院一居 Courtyard one-bedroom", MONTH, 48, 2, 1, 24,
                                        Rates.perMonth(9_800).fees(300, 9_800).discount(180, 8)),
                                studio("loft-studio", "阁楼开间 Loft studio", MONTH, 30, 1, 12,
                                        Rates.perMonth(6_500).fees(200, 6_500)),
                                hotDesks("hall", "共享办公日票 Coworking hall day pass", 30, Rates.perDay(120, 1_500)),
                                dedicatedDesks("desk", "固定工位 Dedicated desk", MONTH, 12, Rates.perMonth(1_800)),
                                meetingRoom("tea-room", "茶室会议室 Tea-house meeting room", 10, 25,
                                        Rates.perHour(200))))));
    }

    // ---- 7. Serviced co-living studios: all-inclusive monthly rent, housekeeping and events, several cities

    private static OperatorSeed servicedStudios() {
        List<String> amenities = List.of("wifi", "housekeeping", "events", "kitchen", "laundry", "gym", "roof_deck",
                "air_conditioning", "doorman");
        String description = "Furnished studios with all-inclusive monthly rent: utilities, Wi-Fi, weekly "
                + "housekeeping and a busy events calendar, plus a roof deck, a laundry room and shared kitchens on "
                + "every floor.";
        String rules = "Minimum age 21. Quiet hours 23:00-07:00. Members' guests may stay up to 7 nights a month.";
        return new OperatorSeed("hearth-living", "Hearth & Harbor Living", "USD", 1000, List.of(
                new PropertySeed("fidi", "New York", "Hearth & Harbor · Financial District",
                        "110 Maiden Lane, New York, NY", "10038", -0.8, 0.6, null, description, amenities, rules,
                        new Internet(300, 300, true),
                        List.of(
                                studio("studio", "Studio", MONTH, 28, 1, 12, Rates.perMonth(1_500).fees(0, 1_500)),
                                studio("studio-plus", "Studio Plus with kitchenette", MONTH, 34, 1, 12,
                                        Rates.perMonth(1_850).fees(0, 1_850).discount(180, 5)),
                                studio("studio-nightly", "Studio by the night", NIGHT, 28, 2, 29,
                                        Rates.perNight(180, 1_050, 3_600).fees(40, 300)),
                                apartment("two-bed", "Two-bedroom suite", MONTH, 62, 4, 1, 12,
                                        Rates.perMonth(3_400).fees(0, 3_400)).asDraft())),
                new PropertySeed("crystal-city", "Arlington", "Hearth & Harbor · Crystal City",
                        "2221 S Clark St, Arlington, VA", "22202", -2.5, 1.9, null, description, amenities, rules,
                        new Internet(200, 200, false),
                        List.of(
                                studio("studio", "Studio", MONTH, 27, 1, 12, Rates.perMonth(1_450).fees(0, 1_450)),
                                studio("studio-plus", "Studio Plus with kitchenette", MONTH, 33, 1, 12,
                                        Rates.perMonth(1_750).fees(0, 1_750))))));
    }

    // ---- 8. Micro-apartments: 24-28 m2, furnished, internet and cleaning included in the rent

    private static OperatorSeed microApartments() {
        List<String> amenities = List.of("wifi", "housekeeping", "gym", "laundry", "roof_deck", "air_conditioning",
                "lounge");
        String description = "Fully furnished micro-apartments of 24-28 m² with a smart kitchenette and a fold-away "
                + "bed. Rent includes Wi-Fi, utilities and cleaning twice a month; residents share a lounge, a roof "
                + "terrace and a 24-hour gym.";
        String rules = "No smoking anywhere in the building. Quiet hours 22:00-08:00. Leases from one month.";
        return new OperatorSeed("nook-micro", "Nook Micro Apartments", "USD", 1000, List.of(
                new PropertySeed("kips-bay", "New York", "Nook · Kips Bay", "320 E 29th St, New York, NY", "10016",
                        3.6, 1.5, null, description, amenities, rules, new Internet(500, 500, true),
                        List.of(
                                micro("micro-24", "Micro studio 24 m²", 24, 2_700),
                                micro("micro-26", "Micro studio 26 m²", 26, 2_775),
                                micro("micro-28", "Corner micro studio 28 m²", 28, 2_950))),
                new PropertySeed("hollywood", "Los Angeles", "Nook · Hollywood", "1520 N Cahuenga Blvd, Los Angeles, CA",
                        "90028", 5.1, -7.9, null, description, amenities, rules, new Internet(400, 40, false),
                        List.of(
                                micro("micro-24", "Micro studio 24 m²", 24, 2_350),
                                micro("micro-27", "Micro studio 27 m²", 27, 2_550)))));
    }

    private static UnitSeed micro(String key, String name, double sizeM2, long monthly) {
        return studio(key, name, MONTH, sizeM2, 1, 12, Rates.perMonth(monthly).fees(0, monthly))
                .with("Furnished; the rent includes Wi-Fi, utilities and cleaning twice a month.",
                        "kitchenette", "private_bathroom", "fold_away_bed", "smart_tv");
    }

    // ---- 9. Shared houses: rooms of one 5-bedroom house, some unfurnished

    private static OperatorSeed sharedHouses() {
        List<String> amenities = List.of("wifi", "kitchen", "laundry", "backyard", "parking", "housekeeping");
        String rules = "Housemates share chores on a rota. No smoking inside. Overnight guests up to 3 nights a week. "
                + "Minimum stay one month.";
        return new OperatorSeed("casa-common", "Casa Common Shared Houses", "USD", 1000, List.of(
                new PropertySeed("silver-lake", "Los Angeles", "Casa Common · Silver Lake House",
                        "2315 Griffith Park Blvd, Los Angeles, CA", "90039", 3.9, -2.4, null,
                        "A five-bedroom house in Silver Lake shared by five housemates: a big kitchen, a backyard "
                                + "with a grill, a laundry room and Wi-Fi; utilities are included in the rent and the "
                                + "common areas are cleaned every two weeks. Rooms come furnished or unfurnished.",
                        amenities, rules, new Internet(250, 20, false),
                        List.of(
                                houseRoom("room-1", "Room 1 · primary with bathroom", 16, 1_450),
                                houseRoom("room-2", "Room 2", 13, 1_250),
                                houseRoom("room-3", "Room 3", 12, 1_200).unfurnished(),
                                houseRoom("room-4", "Room 4", 12, 1_200),
                                houseRoom("room-5", "Room 5 · garden side", 11, 1_150).unfurnished())),
                new PropertySeed("mid-city", "Los Angeles", "Casa Common · Mid-City House",
                        "1847 S Cochran Ave, Los Angeles, CA", "90019", -0.8, -9.8, null,
                        "Five bedrooms around a shared living room and kitchen in Mid-City, close to the Expo line. "
                                + "Utilities and Wi-Fi included; bring your own furniture or take a furnished room.",
                        amenities, rules, new Internet(22, 5, false),
                        List.of(
                                houseRoom("room-1", "Room 1 · primary", 15, 1_300),
                                houseRoom("room-2", "Room 2", 12, 1_150).unfurnished(),
                                houseRoom("room-3", "Room 3", 12, 1_150),
                                houseRoom("room-4", "Room 4", 11, 1_100).unfurnished(),
                                houseRoom("room-5", "Room 5 (being renovated)", 11, 1_100).asDraft()))));
    }

    private static UnitSeed houseRoom(String key, String name, double sizeM2, long monthly) {
        return room(key, name, MONTH, sizeM2, 1, 12, Rates.perMonth(monthly).fees(0, 500).discount(180, 5));
    }
}
