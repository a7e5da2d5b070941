package io.nomadstays.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A city where nomads stay, one row of {@code demo/nomad-cities.csv}. */
record City(String name, String localName, String countryCode, double latitude, double longitude,
            String timeZone, String currency) {

    private static final List<City> ALL = List.copyOf(load());
    private static final Map<String, City> BY_NAME =
            ALL.stream().collect(Collectors.toUnmodifiableMap(City::name, Function.identity()));

    static List<City> all() {
        return ALL;
    }

    static City named(String name) {
        City city = BY_NAME.get(name);
        if (city == null) {
            throw new IllegalArgumentException("Unknown city (not in demo/nomad-cities.csv): " + name);
        }
        return city;
    }

    GeoPoint centre() {
        return new GeoPoint(latitude, longitude);
    }

    private static List<City> load() {
        List<City> cities = new ArrayList<>();
        for (String[] row : Csv.read("demo/nomad-cities.csv", 7)) {
            cities.add(new City(row[0], row[1], row[2], Double.parseDouble(row[3]), Double.parseDouble(row[4]),
                    row[5], row[6]));
        }
        return cities;
    }

    /** The demo CSV files have no quoted fields, so a split is enough. */
    static final class Csv {
        private Csv() {
        }

        static List<String[]> read(String resource, int columns) {
            InputStream in = City.class.getClassLoader().getResourceAsStream(resource);
            if (in == null) {
                throw new IllegalStateException("Missing classpath resource " + resource);
            }
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                List<String[]> rows = new ArrayList<>();
                reader.readLine(); // header
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    String[] fields = line.split(",", -1);
                    if (fields.length != columns) {
                        throw new IllegalStateException(resource + ": expected " + columns + " columns: " + line);
                    }
                    rows.add(fields);
                }
                return rows;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
